-- GET /api/v1/engagements/:engagement/customers?tab=complete[&cursor=…] as :user (Contoso), as the server
-- sends it: the counts of every tab (CustomersPage), then the keyset page of claims (ClaimQueries.page).
-- Variables: user, engagement, deep (0/1), after_value, after_id.
-- HTTP Basic (UserAccounts.loadUserByUsername), then the current user (UserAccounts.currentUser).
select username, password_hash, display_name, email, partner_id, time_zone, language from app_user where username = :user;
select role from user_role where username = :user;
select username, password_hash, display_name, email, partner_id, time_zone, language from app_user where username = :user;
select location_id, role from user_location_role where username = :user;
select id, name from partner where id = 'contoso';
select id, partner_id, name, country, enrollment from location where partner_id = 'contoso' order by id;
select role from user_role where username = :user;
-- The read model is current (CustomersStanding.prepare): coverage, verdicts to judge, directory revision.
select basis, directory_revision, exists (select 1 from known_customer_standing s where s.partner_id = v.partner_id and s.engagement_id = v.engagement_id and s.verdict_holds is null) as unjudged from known_customer_coverage v where partner_id = 'contoso' and engagement_id = :engagement;
select revision from directory_revision where id = 1;
with counts as (select coalesce(sum(c.eligible) filter (where true), 0) as eligible_known, coalesce(sum(c.ineligible + case when true then 0 else c.eligible end), 0) as ineligible_known from known_customer_standing_count c where c.partner_id = 'contoso' and c.engagement_id = :engagement and true) select counts.*, (select count(*) from claim where partner_id = 'contoso' and location_id = any('{4100231,4100232,4100233,4100234}') and engagement_id = :engagement and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')) as active_claims, (select count(*) from claim where partner_id = 'contoso' and location_id = any('{4100231,4100232,4100233,4100234}') and engagement_id = :engagement and status in ('COMPLETED', 'CANCELED', 'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED', 'DISPUTE_EXPIRED', 'REJECTED_FINAL')) as complete_claims from counts;
\if :deep
select id, engagement_id, location_id, friendly_name, customer_name, identifier_type, identifier_value, customer_key, status, consent_due_at, first_submission_due_at, review_due_at, action_due_at, dispute_due_at, created_at, updated_at, (lower(customer_name))::text as sort_value from claim where partner_id = 'contoso' and location_id = any('{4100231,4100232,4100233,4100234}') and engagement_id = :engagement and status = any('{COMPLETED,CANCELED,NOT_SUBMITTED_EXPIRED,POST_SUBMISSION_EXPIRED,DISPUTE_EXPIRED,REJECTED_FINAL}') and (lower(customer_name), id) > (:after_value, :after_id::bigint) order by lower(customer_name) asc, id asc limit 51;
\else
select id, engagement_id, location_id, friendly_name, customer_name, identifier_type, identifier_value, customer_key, status, consent_due_at, first_submission_due_at, review_due_at, action_due_at, dispute_due_at, created_at, updated_at, (lower(customer_name))::text as sort_value from claim where partner_id = 'contoso' and location_id = any('{4100231,4100232,4100233,4100234}') and engagement_id = :engagement and status = any('{COMPLETED,CANCELED,NOT_SUBMITTED_EXPIRED,POST_SUBMISSION_EXPIRED,DISPUTE_EXPIRED,REJECTED_FINAL}') order by lower(customer_name) asc, id asc limit 51;
\endif
