-- The whole verdict of each known customer, not only whether it holds: the Ineligible tab of the
-- Customers page gives every reason, and reading them here spares it the directory entry and the
-- CEL criteria of every row it shows (a third of the server's work on that tab at scale).
--   kind_allowed     the engagement accepts some identifier type that leads to the key's kind
--   found            the key has a directory entry
--   failed_criteria  positions (from 0) of the engagement's criteria the entry fails; positions,
--                    not names, so that a renamed criterion shows its new name
-- Null until judged, like verdict_holds, which stays the conjunction of the three.
alter table known_customer_standing
    add column kind_allowed boolean,
    add column found boolean,
    add column failed_criteria smallint[];

-- Rows judged before this migration have no reasons yet: a stale basis makes the next page of each
-- (partner, engagement) judge all its rows again (CustomersStanding.prepare).
update known_customer_coverage set basis = null;
