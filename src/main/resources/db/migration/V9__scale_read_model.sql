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

-- The Customers page's standing of each known customer, per (partner, engagement, key), so that a
-- page counts with an index and reads only its own rows, however many known customers a partner has.
-- Built for a (partner, engagement) the first time its page is asked for (known_customer_coverage),
-- then kept current: the market facts by triggers on claim, in the transaction of the claim change
-- (and by the sweep of CustomersStanding for the rare race with a concurrent build); the verdict
-- (the engagement's identifier kinds, the directory entry and the CEL criteria) by the page itself,
-- which judges rows without one and rejudges all of them when the engagement's rules or the
-- directory changed (basis and revision of the coverage row).
create table known_customer_coverage (
    partner_id         text not null,
    engagement_id      text not null references engagement(id) on delete cascade,
    basis              text,
    directory_revision bigint,
    primary key (partner_id, engagement_id)
);

create table known_customer_standing (
    partner_id          text not null,
    engagement_id       text not null references engagement(id) on delete cascade,
    customer_key        text not null,
    customer_name       text not null,
    identifier_type     text not null,
    identifier_value    text collate "C" not null,
    sort_name           text collate "C" not null,  -- lower(customer_name), the page's name order
    -- What all claims for (engagement, key) say, seen from this partner.
    mine                boolean not null,           -- the partner's own active claim: shown as that claim
    active_claims       int not null,
    other_consent_until timestamptz,
    engaged_elsewhere   boolean not null,
    -- The verdict: null until judged.
    verdict_holds       boolean,
    max_active          int not null,
    eligible            boolean generated always as (coalesce(verdict_holds, false) and not mine
                            and other_consent_until is null and not engaged_elsewhere
                            and active_claims < max_active) stored,
    primary key (partner_id, engagement_id, customer_key)
);
-- Counted with index-only scans: vacuumed early, so that the visibility map stays current.
alter table known_customer_standing set (autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
create index known_customer_standing_slot on known_customer_standing (engagement_id, customer_key);
create index known_customer_standing_by_name on known_customer_standing
    (partner_id, engagement_id, eligible, sort_name, customer_key collate "C") where not mine;
create index known_customer_standing_by_identifier on known_customer_standing
    (partner_id, engagement_id, eligible, identifier_value, customer_key collate "C") where not mine;
create index known_customer_standing_by_key on known_customer_standing
    (partner_id, engagement_id, eligible, customer_key collate "C") where not mine;
create index known_customer_standing_unjudged on known_customer_standing (partner_id, engagement_id)
    where verdict_holds is null;
-- The Customers page's counts of a partner's active and complete claims for an engagement, from the
-- index alone.
create index claim_active_by_partner on claim (partner_id, engagement_id, location_id)
    where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW',
                     'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED');
-- The Eligible tab's claim rows in name order, so a page reads its own rows only.
create index claim_active_by_name on claim (partner_id, engagement_id, (lower(customer_name)) collate "C")
    where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW',
                     'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED');
create index claim_complete_by_partner on claim (partner_id, engagement_id, location_id)
    where status in ('COMPLETED', 'CANCELED', 'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED', 'DISPUTE_EXPIRED',
                     'REJECTED_FINAL');
-- The sweep finds the claims changed lately.
create index claim_updated on claim (updated_at);

-- Recomputes the market facts of the standing rows of the given (engagement, key) slots from the
-- claims; rows whose facts did not change are left alone. Statuses as in ClaimStatus.
create function known_customer_standing_refresh(engagement_ids text[], customer_keys text[]) returns void
language sql as $$
    update known_customer_standing s
    set mine = f.mine, active_claims = f.active_claims, other_consent_until = f.other_consent_until,
        engaged_elsewhere = f.engaged_elsewhere
    from (
        select s2.partner_id, s2.engagement_id, s2.customer_key,
               coalesce(bool_or(c.partner_id = s2.partner_id and c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT',
                   'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED',
                   'APPROVED')), false) as mine,
               count(c.id) filter (where c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED',
                   'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED'))::int
                   as active_claims,
               max(c.first_submission_due_at) filter (where c.partner_id <> s2.partner_id
                   and c.status = 'CONSENT_RECEIVED') as other_consent_until,
               coalesce(bool_or(c.partner_id <> s2.partner_id and c.status in ('SUBMITTED', 'UNDER_REVIEW',
                   'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED')), false)
                   as engaged_elsewhere
        from (select distinct e, k from unnest(engagement_ids, customer_keys) as changed(e, k)) changed
        join known_customer_standing s2 on s2.engagement_id = changed.e and s2.customer_key = changed.k
        left join claim c on c.engagement_id = s2.engagement_id and c.customer_key = s2.customer_key
            and c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW',
                             'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED')
        group by s2.partner_id, s2.engagement_id, s2.customer_key
    ) f
    where s.partner_id = f.partner_id and s.engagement_id = f.engagement_id and s.customer_key = f.customer_key
      and (s.mine, s.active_claims, s.other_consent_until, s.engaged_elsewhere)
          is distinct from (f.mine, f.active_claims, f.other_consent_until, f.engaged_elsewhere)
$$;

create function claim_changed_refresh_standing() returns trigger language plpgsql as $$
begin
    perform known_customer_standing_refresh(array(select engagement_id from changed order by id),
                                            array(select customer_key from changed order by id));
    return null;
end $$;
create trigger claim_inserted_standing after insert on claim referencing new table as changed
    for each statement execute function claim_changed_refresh_standing();
create trigger claim_updated_standing after update on claim referencing new table as changed
    for each statement execute function claim_changed_refresh_standing();

-- A new or re-consented known customer of a partner gets its standing in every engagement whose
-- page the partner has opened (judged on that page's next request); a changed name or identifier
-- is copied.
create function known_customer_changed_standing() returns trigger language plpgsql as $$
begin
    insert into known_customer_standing (partner_id, engagement_id, customer_key, customer_name, identifier_type,
        identifier_value, sort_name, mine, active_claims, engaged_elsewhere, max_active)
    select k.partner_id, v.engagement_id, k.customer_key, k.customer_name, k.identifier_type, k.identifier_value,
           lower(k.customer_name), false, 0, false, e.max_active_claims
    from changed k
    join known_customer_coverage v on v.partner_id = k.partner_id
    join engagement e on e.id = v.engagement_id
    on conflict (partner_id, engagement_id, customer_key) do update set customer_name = excluded.customer_name,
        identifier_type = excluded.identifier_type, identifier_value = excluded.identifier_value,
        sort_name = excluded.sort_name;
    perform known_customer_standing_refresh(
        array(select v.engagement_id from changed k join known_customer_coverage v on v.partner_id = k.partner_id
              order by k.partner_id, k.customer_key, v.engagement_id),
        array(select k.customer_key from changed k join known_customer_coverage v on v.partner_id = k.partner_id
              order by k.partner_id, k.customer_key, v.engagement_id));
    return null;
end $$;
create trigger known_customer_inserted_standing after insert on known_customer referencing new table as changed
    for each statement execute function known_customer_changed_standing();
create trigger known_customer_updated_standing after update on known_customer referencing new table as changed
    for each statement execute function known_customer_changed_standing();
