-- Who changed the program, when and what: engagement configuration, enrollment, partner users'
-- roles and directory imports. Append-only, like claim history.
create table audit_event (
    id           bigint generated always as identity primary key,
    at           timestamptz not null,
    actor        text not null,
    subject_type text not null check (subject_type in ('ENGAGEMENT', 'LOCATION', 'USER', 'DIRECTORY_IMPORT')),
    subject_id   text not null,
    -- The partner a change concerns, when it concerns one: its administrators may read it.
    partner_id   text references partner(id),
    action       text not null,
    detail       jsonb not null default '{}'::jsonb
);
create index audit_event_subject on audit_event (subject_type, subject_id, id desc);
create index audit_event_partner on audit_event (partner_id, id desc) where partner_id is not null;

create function audit_event_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_event is append-only';
end $$;
create trigger audit_event_append_only before update or delete on audit_event
    for each row execute function audit_event_is_append_only();
