-- Consent links and the mail outbox.

-- A consent link's token is random (256 bits) and only its SHA-256 is stored. One claim may have
-- had several links (resend); at most one is live: not used, not revoked, not past its expiry.
create table consent_token (
    id          bigint generated always as identity primary key,
    claim_id    bigint not null references claim(id),
    token_hash  bytea not null unique,
    created_at  timestamptz not null,
    expires_at  timestamptz not null,
    used_at     timestamptz,
    revoked_at  timestamptz
);
create unique index consent_token_one_live on consent_token (claim_id) where used_at is null and revoked_at is null;

-- Every email is a row written in the same transaction as the state change it reports. The
-- dedupe key names that state change, so it can never be queued twice; a background sender
-- delivers rows with retries and marks them sent.
create table outbox_email (
    id               bigint generated always as identity primary key,
    dedupe_key       text not null unique,
    claim_id         bigint references claim(id),
    kind             text not null,
    to_address       text not null,
    language         text not null,
    subject          text not null,
    body_text        text not null,
    body_html        text not null,
    created_at       timestamptz not null,
    next_attempt_at  timestamptz not null,
    attempts         int not null default 0,
    sent_at          timestamptz,
    last_error       text
);
create index outbox_email_due on outbox_email (next_attempt_at) where sent_at is null;
create index outbox_email_claim on outbox_email (claim_id);

-- When the last consent email of a claim went out, for the once-per-24-hours resend rule.
alter table claim add column consent_email_sent_at timestamptz;
