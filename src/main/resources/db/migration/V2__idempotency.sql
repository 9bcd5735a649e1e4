-- Responses of creating POSTs sent with an Idempotency-Key, so a retry returns the first result.
-- The row is written in the same transaction as what the request created: both exist or neither.
create table idempotency_record (
    username         text not null,
    idempotency_key  text not null check (char_length(idempotency_key) between 1 and 200),
    request_hash     text not null,
    response_status  int,
    response_body    text,
    created_at       timestamptz not null,
    primary key (username, idempotency_key)
);
