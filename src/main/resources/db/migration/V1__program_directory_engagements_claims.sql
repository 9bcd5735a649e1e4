-- MCI Engagements schema, version 1.
-- Invariants that must hold across servers live here as constraints and indexes,
-- not in application memory.

-- ---------------------------------------------------------------- program
create table partner (
    id          text primary key,
    name        text not null
);

create table location (
    id          text primary key check (id ~ '^[0-9]{6,10}$'),
    partner_id  text not null references partner(id),
    name        text not null,
    country     char(2) not null,
    enrollment  text not null check (enrollment in ('ENROLLED', 'NOT_ENROLLED', 'SUSPENDED'))
);
create index location_partner on location(partner_id);

-- Countries grouped into payout markets A/B/C; an unlisted country is market C.
create table market_country (
    country     char(2) primary key,
    market      char(1) not null check (market in ('A', 'B', 'C'))
);

-- ---------------------------------------------------------------- security
create table app_user (
    username      text primary key,
    password_hash text not null,
    display_name  text not null,
    email         text not null,
    partner_id    text references partner(id),
    time_zone     text not null default 'UTC',
    language      text not null default 'en'
);

-- INCENTIVES_ADMIN / INCENTIVES_USER are granted per location.
create table user_location_role (
    username    text not null references app_user(username),
    location_id text not null references location(id),
    role        text not null check (role in ('INCENTIVES_ADMIN', 'INCENTIVES_USER')),
    primary key (username, location_id, role)
);

-- Partner-wide (REFERRAL_ADMIN) and vendor roles.
create table user_role (
    username    text not null references app_user(username),
    role        text not null check (role in ('REFERRAL_ADMIN', 'PROGRAM_REVIEWER', 'PROGRAM_OPERATOR', 'SELLER')),
    primary key (username, role)
);

-- Spring Session JDBC: page sessions live in the database so any server can serve any request.
create table spring_session (
    primary_id            char(36) not null,
    session_id            char(36) not null,
    creation_time         bigint not null,
    last_access_time      bigint not null,
    max_inactive_interval int not null,
    expiry_time           bigint not null,
    principal_name        varchar(100),
    constraint spring_session_pk primary key (primary_id)
);
create unique index spring_session_ix1 on spring_session (session_id);
create index spring_session_ix2 on spring_session (expiry_time);
create index spring_session_ix3 on spring_session (principal_name);
create table spring_session_attributes (
    session_primary_id char(36) not null,
    attribute_name     varchar(200) not null,
    attribute_bytes    bytea not null,
    constraint spring_session_attributes_pk primary key (session_primary_id, attribute_name),
    constraint spring_session_attributes_fk foreign key (session_primary_id) references spring_session(primary_id) on delete cascade
);

-- ---------------------------------------------------------------- directory
-- One row per customer key (TENANT:<guid>, TPID:<n>, SUBSCRIPTION:<guid>, OPPORTUNITY:<id>).
-- Type-specific columns are nullable; free attributes are what eligibility criteria read.
create table directory_customer (
    customer_key        text primary key check (customer_key ~ '^(TENANT|TPID|SUBSCRIPTION|OPPORTUNITY):.+$'),
    display_name        text not null,
    country             char(2),
    tpid                bigint,          -- tenant: optional top parent; opportunity: owning TPID
    owner_tenant_id     uuid,            -- subscription: owning tenant
    segment             text,            -- TPID segment
    estimated_value_usd numeric(14, 2),  -- opportunity
    opportunity_state   text check (opportunity_state in ('OPEN', 'WON', 'LOST')),
    attributes          jsonb not null default '{}'::jsonb
);

-- Verified domains of tenants: how a DOMAIN identifier becomes a TENANT key.
create table directory_domain (
    domain      text primary key,
    tenant_id   uuid not null
);
create index directory_domain_tenant on directory_domain(tenant_id);

-- ---------------------------------------------------------------- engagements
create table engagement (
    id                      text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name                    text not null,
    description             text not null,
    solution_area           text not null,
    engagement_type         text not null check (engagement_type in ('ASSESSMENT', 'WORKSHOP', 'PROJECT_XS', 'PROJECT_S', 'PROJECT_M', 'PROJECT_L', 'PROJECT_XL')),
    first_claim_day         date not null,
    last_claim_day          date not null,
    payment_model           text not null check (payment_model in ('FIXED', 'VARIABLE')),
    identifier_types        text[] not null,
    allowed_countries       text[] not null default '{}',
    eligible_location_ids   text[] not null default '{}',
    max_active_claims       int not null default 1 check (max_active_claims > 0),
    consent_days            int not null check (consent_days > 0),
    first_submission_days   int not null check (first_submission_days > 0),
    review_days             int not null check (review_days > 0),
    dispute_days            int not null check (dispute_days > 0),
    action_required_days    int not null default 14 check (action_required_days > 0),
    referral_enabled        boolean not null default false,
    referral_condition      text,
    cosell_condition        text,
    updated_at              timestamptz not null,
    check (first_claim_day <= last_claim_day),
    check (cardinality(identifier_types) > 0)
);

create table engagement_criterion (
    engagement_id text not null references engagement(id) on delete cascade,
    position      int not null,
    name          text not null,
    expression    text not null,
    message       text not null,
    primary key (engagement_id, position)
);

-- FIXED payout per market.
create table engagement_fixed_payout (
    engagement_id text not null references engagement(id) on delete cascade,
    market        char(1) not null check (market in ('A', 'B', 'C')),
    amount_usd    numeric(12, 2) not null check (amount_usd >= 0),
    primary key (engagement_id, market)
);

-- VARIABLE rate cards, versioned by effective date; a claim snapshots the version in force.
create table engagement_rate_card (
    engagement_id   text not null references engagement(id) on delete cascade,
    effective_from  date not null,
    max_hours       int not null check (max_hours > 0),
    cap_percent     numeric(5, 2) not null check (cap_percent > 0 and cap_percent <= 100),
    rate_a_usd      numeric(10, 2) not null check (rate_a_usd >= 0),
    rate_b_usd      numeric(10, 2) not null check (rate_b_usd >= 0),
    rate_c_usd      numeric(10, 2) not null check (rate_c_usd >= 0),
    primary key (engagement_id, effective_from)
);

-- ---------------------------------------------------------------- claims
create table claim (
    id                        bigint generated by default as identity (start with 100001) primary key,
    engagement_id             text not null references engagement(id),
    partner_id                text not null references partner(id),
    location_id               text not null references location(id),
    origin                    text not null check (origin in ('ADD', 'CLAIM')),
    friendly_name             text not null check (char_length(friendly_name) between 3 and 100),
    identifier_type           text not null,
    identifier_value          text not null,
    customer_key              text not null,
    customer_name             text not null,
    status                    text not null,
    status_reason             text,
    created_at                timestamptz not null,
    created_by                text not null,
    consent_due_at            timestamptz not null,
    consent_requested_at      timestamptz,
    consent_received_at       timestamptz,
    first_submission_due_at   timestamptz,
    review_due_at             timestamptz,
    action_due_at             timestamptz,
    dispute_due_at            timestamptz,
    submitted_at              timestamptz,
    estimated_deal_size_usd   numeric(14, 2) check (estimated_deal_size_usd >= 0),
    hours                     int check (hours > 0),
    rate_card                 jsonb,
    proposed_payout_usd       numeric(12, 2),
    approved_payout_usd       numeric(12, 2),
    customer_contact_name     text not null,
    customer_contact_email    text not null,
    customer_contact_phone    text,
    customer_contact_language text not null default 'en',
    partner_contact_name      text not null,
    partner_contact_email     text not null,
    partner_contact_phone     text,
    mismatch_reason           text,
    mismatch_note             text,
    previous_claim_id         bigint references claim(id),
    updated_at                timestamptz not null,
    version                   int not null default 0
);

-- A partner never holds two active (non-terminal) claims for one (engagement, customer key).
create unique index claim_one_active_per_partner on claim (engagement_id, customer_key, partner_id)
    where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW',
                     'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED');

-- At most one partner holds consent per (engagement, customer key).
create unique index claim_one_consent_holder on claim (engagement_id, customer_key)
    where status in ('CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED',
                     'DISPUTED', 'APPROVED');

create index claim_market on claim (engagement_id, customer_key, status);
create index claim_partner_engagement on claim (partner_id, engagement_id, status, id);
create index claim_partner_id on claim (partner_id, id);

-- Append-only history of every claim.
create table claim_history (
    id           bigint generated always as identity primary key,
    claim_id     bigint not null references claim(id),
    at           timestamptz not null,
    actor_type   text not null check (actor_type in ('PARTNER_USER', 'REVIEWER', 'CUSTOMER', 'SYSTEM', 'OPERATOR')),
    actor        text not null,
    action       text not null,
    from_status  text,
    to_status    text,
    detail       text
);
create index claim_history_claim on claim_history(claim_id, id);

create function claim_history_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'claim_history is append-only';
end $$;
create trigger claim_history_append_only before update or delete on claim_history
    for each row execute function claim_history_is_append_only();

-- Customer keys that gave a partner consent on any claim: the partner's known customers.
create table known_customer (
    partner_id        text not null references partner(id),
    customer_key      text not null,
    identifier_type   text not null,
    identifier_value  text not null,
    customer_name     text not null,
    last_claim_id     bigint not null references claim(id),
    consented_at      timestamptz not null,
    primary key (partner_id, customer_key)
);

-- ---------------------------------------------------------------- clock
-- The operator-adjustable offset of the program clock (demo/dev only), shared by all servers.
create table program_clock (
    id        int primary key check (id = 1),
    offset_ms bigint not null
);
insert into program_clock values (1, 0);
