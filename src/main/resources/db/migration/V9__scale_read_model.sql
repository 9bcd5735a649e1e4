-- Performance at scale (docs/benchmarks.md): indexes for the hot queries and the criteria verdicts
-- the Customers page reads instead of evaluating every known customer's criteria on every request.

-- The deadline job takes due claims per rule in deadline order; each index holds only the claims
-- still waiting in the statuses of its rule, so it stays small however many claims have ended.
create index claim_due_consent on claim (consent_due_at, id) where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT');
create index claim_due_first_submission on claim (first_submission_due_at, id) where status = 'CONSENT_RECEIVED';
create index claim_due_action on claim (action_due_at, id) where status = 'PARTNER_ACTION_REQUIRED';
create index claim_due_dispute on claim (dispute_due_at, id) where status = 'REJECTED';

-- What other partners' claims say about an (engagement, customer key), for a page of known
-- customers at once: active claims and deliveries. Covering, so the Customers page reads it
-- without visiting the table.
create index claim_market_facts on claim (engagement_id, customer_key) include (status, partner_id, first_submission_due_at)
    where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW',
                     'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED');

-- Bumped by every statement that changes the directory, in that statement's transaction: a
-- verdict computed from an older directory is recognisably stale.
create table directory_revision (
    id        int primary key check (id = 1),
    revision  bigint not null
);
insert into directory_revision values (1, 0);

create function directory_revision_bump() returns trigger language plpgsql as $$
begin
    update directory_revision set revision = revision + 1 where id = 1;
    return null;
end $$;
create trigger directory_customer_revision after insert or update or delete or truncate on directory_customer
    for each statement execute function directory_revision_bump();

-- The part of eligibility that depends only on the engagement's rules and the key's directory
-- entry: whether the engagement accepts the kind of key, whether the directory knows it, and which
-- criteria (by position) fail. Valid while the engagement's rules hash to `basis` and the
-- directory is at `directory_revision`; the Customers page recomputes missing and stale ones.
create table customer_verdict (
    engagement_id      text not null references engagement(id) on delete cascade,
    customer_key       text not null,
    basis              text not null,
    directory_revision bigint not null,
    kind_allowed       boolean not null,
    found              boolean not null,
    failed_criteria    int[] not null,
    primary key (engagement_id, customer_key)
);
