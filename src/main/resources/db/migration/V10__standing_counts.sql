-- The Customers page's tab counts of known customers per (partner, engagement), so that a page does
-- not count a partner's tens of thousands of known customers on every request.
--
-- Kept as deltas, not as one counter row: every statement that changes standing rows appends one
-- row per (partner, engagement) it moved, and a reader sums them. Appending takes no row lock, so
-- claim changes of one partner never queue behind each other on a hot counter row until commit;
-- CustomersStanding folds each (partner, engagement)'s deltas into one row every minute. Folding is
-- a delete … returning that re-inserts the sum: a delta deleted by one server is skipped by another
-- server's concurrent fold (it no longer exists when the row lock is released), so nothing is
-- summed twice.
create table known_customer_standing_count (
    partner_id    text not null,
    engagement_id text not null,    -- no foreign key: deltas written while an engagement's rows cascade away
    eligible      bigint not null,  -- rows with "not mine and eligible"
    ineligible    bigint not null   -- rows with "not mine and not eligible"
);
create index known_customer_standing_count_slot on known_customer_standing_count (partner_id, engagement_id);

insert into known_customer_standing_count (partner_id, engagement_id, eligible, ineligible)
select partner_id, engagement_id, count(*) filter (where eligible), count(*) filter (where not eligible)
from known_customer_standing where not mine
group by partner_id, engagement_id;

create function known_customer_standing_counted() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into known_customer_standing_count (partner_id, engagement_id, eligible, ineligible)
        select partner_id, engagement_id, count(*) filter (where not mine and eligible),
               count(*) filter (where not mine and not eligible)
        from added group by partner_id, engagement_id
        having count(*) filter (where not mine) > 0;
    elsif tg_op = 'UPDATE' then
        insert into known_customer_standing_count (partner_id, engagement_id, eligible, ineligible)
        select partner_id, engagement_id, sum(eligible), sum(ineligible)
        from (select partner_id, engagement_id, (not mine and eligible)::int as eligible,
                     (not mine and not eligible)::int as ineligible from added
              union all
              select partner_id, engagement_id, -(not mine and eligible)::int, -(not mine and not eligible)::int
              from removed) d
        group by partner_id, engagement_id
        having sum(eligible) <> 0 or sum(ineligible) <> 0;
    else
        insert into known_customer_standing_count (partner_id, engagement_id, eligible, ineligible)
        select partner_id, engagement_id, -count(*) filter (where not mine and eligible),
               -count(*) filter (where not mine and not eligible)
        from removed group by partner_id, engagement_id
        having count(*) filter (where not mine) > 0;
    end if;
    return null;
end $$;
create trigger known_customer_standing_inserted_count after insert on known_customer_standing
    referencing new table as added for each statement execute function known_customer_standing_counted();
create trigger known_customer_standing_updated_count after update on known_customer_standing
    referencing old table as removed new table as added
    for each statement execute function known_customer_standing_counted();
create trigger known_customer_standing_deleted_count after delete on known_customer_standing
    referencing old table as removed for each statement execute function known_customer_standing_counted();

-- A partner's claims cluster in its own engagements and locations: without statistics on the
-- columns together the planner multiplies their selectivities, expects a tenth of the rows, and
-- sorts all of a partner's active claims for the Eligible tab instead of reading its first page
-- from claim_active_by_name.
create statistics claim_partner_engagement_location (mcv, dependencies) on partner_id, engagement_id, location_id
    from claim;
analyze claim;
