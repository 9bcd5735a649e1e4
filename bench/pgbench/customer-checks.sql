-- POST /api/v1/customer-checks as :user (Contoso) for a random verified domain, over every engagement
-- Contoso sees (Nominations.check): resolve the domain, read the tenant's entry and domains, then the
-- market facts of all engagements in one query; the rules themselves run in Java.
-- Variables: user, domains (rows of bench_domain), engagement_ids ('{id,…}' of the visible engagements).
\set n random(0, :domains - 1)
-- The driver's choice of domain (not a statement of the server).
select domain from bench_domain where n = :n \gset
-- HTTP Basic (UserAccounts.loadUserByUsername), then the current user (UserAccounts.currentUser).
select username, password_hash, display_name, email, partner_id, time_zone, language from app_user where username = :user;
select role from user_role where username = :user;
select username, password_hash, display_name, email, partner_id, time_zone, language from app_user where username = :user;
select location_id, role from user_location_role where username = :user;
select id, name from partner where id = 'contoso';
select id, partner_id, name, country, enrollment from location where partner_id = 'contoso' order by id;
select role from user_role where username = :user;
select tenant_id::text as tenant_id from directory_domain where domain = :domain \gset
select customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd, opportunity_state, attributes::text as attributes from directory_customer where customer_key = 'TENANT:' || :tenant_id;
select domain from directory_domain where tenant_id = :tenant_id::uuid order by domain;
select engagement_id, customer_key, count(*) filter (where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')) as active_claims, coalesce(bool_or(partner_id = 'contoso' and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')), false) as mine, max(first_submission_due_at) filter (where partner_id <> 'contoso' and status = 'CONSENT_RECEIVED') as other_consent_until, coalesce(bool_or(partner_id <> 'contoso' and status in ('SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED')), false) as engaged_elsewhere from claim where engagement_id = any(:engagement_ids) and customer_key = any(array['TENANT:' || :tenant_id]) group by engagement_id, customer_key;
