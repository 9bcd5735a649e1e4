-- The lifecycle after consent: submissions with proof documents, reviewer decisions, disputes
-- and payouts (SPEC §10).

alter table claim
    add column payout_market     text check (payout_market in ('A', 'B', 'C')),
    add column execution_date    date,
    add column last_submitted_at timestamptz,
    add column rejected_at       timestamptz,
    add column disputed_at       timestamptz,
    add column approved_at       timestamptz,
    add column paid_usd          numeric(12, 2),
    add column paid_on           date,
    add column payout_reference  text,
    add column completed_at      timestamptz;

-- An expired claim may be followed by one new claim started from it; it is never revived.
create unique index claim_one_successor on claim (previous_claim_id) where previous_claim_id is not null;

-- The reviewer queue reads claims by status in deadline order.
create index claim_review_queue on claim (status, review_due_at, id);

-- What the partner sent: the first submission, each resubmission and a dispute.
create table claim_submission (
    id             bigint generated always as identity primary key,
    claim_id       bigint not null references claim(id),
    kind           text not null check (kind in ('SUBMISSION', 'RESUBMISSION', 'DISPUTE')),
    at             timestamptz not null,
    by_user        text not null,
    execution_date date,
    comments       text
);
create index claim_submission_claim on claim_submission (claim_id, id);

-- Proof documents live in the database, in the transaction that records the submission: a
-- refused submission stores nothing and a stored file is never orphaned.
create table claim_document (
    id            bigint generated always as identity primary key,
    claim_id      bigint not null references claim(id),
    submission_id bigint not null references claim_submission(id),
    file_name     text not null,
    content_type  text not null,
    size_bytes    int not null check (size_bytes between 1 and 10485760),
    sha256        text not null,
    content       bytea not null
);
create index claim_document_claim on claim_document (claim_id, id);

-- A reviewer's request for partner action, rejection or approval, with the checklist of
-- standard reasons and the comment the partner reads.
create table claim_review_note (
    id        bigint generated always as identity primary key,
    claim_id  bigint not null references claim(id),
    at        timestamptz not null,
    reviewer  text not null,
    decision  text not null check (decision in ('REQUEST_ACTION', 'APPROVE', 'REJECT')),
    checklist text[] not null default '{}',
    comment   text
);
create index claim_review_note_claim on claim_review_note (claim_id, id);
