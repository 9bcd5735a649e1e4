-- When, why and by whom a location's MCI enrollment last changed. Every change is also an
-- audit_event (subject LOCATION); these columns keep the current answer next to the status, so
-- pages and the API say "Suspended on <date>: <reason>" without reading the history.
alter table location
    add column enrollment_reason     text,
    add column enrollment_changed_at timestamptz,
    add column enrollment_changed_by text;

-- The last-administrator guard counts a location's administrators on every revocation.
create index user_location_role_location on user_location_role (location_id, role);
