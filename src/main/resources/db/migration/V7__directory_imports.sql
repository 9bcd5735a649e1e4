-- Operator imports of directory files. The file is applied in one transaction of its own; this row
-- is written beside it in short transactions (queued, running with progress and heartbeat, and
-- finished in the import's own transaction), so progress is visible while the import runs.
create table directory_import (
    id             bigint generated always as identity primary key,
    kind           text not null check (kind in ('TENANTS', 'TPIDS', 'SUBSCRIPTIONS', 'OPPORTUNITIES')),
    file_name      text not null check (char_length(file_name) between 1 and 255),
    size_bytes     bigint not null check (size_bytes > 0),
    status         text not null check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    bytes_read     bigint not null default 0 check (bytes_read >= 0),
    rows_read      bigint not null default 0 check (rows_read >= 0),
    rows_imported  bigint not null default 0 check (rows_imported >= 0),
    rows_rejected  bigint not null default 0 check (rows_rejected >= 0),
    -- Every problem found; at most the first 10,000 are kept in directory_import_problem.
    problem_count  bigint not null default 0 check (problem_count >= 0),
    error          text,
    started_by     text not null,
    created_at     timestamptz not null,
    started_at     timestamptz,
    finished_at    timestamptz,
    -- Written every second or so by the server working on the import; a stale one means that server is gone.
    heartbeat_at   timestamptz not null,
    check ((status in ('SUCCEEDED', 'FAILED')) = (finished_at is not null)),
    check (status <> 'FAILED' or error is not null)
);
create index directory_import_unfinished on directory_import (heartbeat_at) where status in ('QUEUED', 'RUNNING');

-- The report of an import: one row per problem, in the order found (seq), row numbers as a
-- spreadsheet shows them (the header is row 1), column empty for a problem of the whole row.
create table directory_import_problem (
    import_id    bigint not null references directory_import (id),
    seq          int not null,
    row_number   int not null check (row_number >= 1),
    column_name  text not null default '',
    code         text not null,
    reason       text not null,
    primary key (import_id, seq)
);
