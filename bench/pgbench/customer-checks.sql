-- POST /api/v1/customer-checks as :user (Contoso) for a random verified domain, over every engagement
-- Contoso sees (Nominations.check): resolve the domain, read the tenant's entry and domains, then the
-- market facts of all engagements in one query; the rules themselves run in Java.
-- Variables: user, domains (rows of bench_domain), engagement_ids ('{id,…}' of the visible engagements).
\set n random(0, :domains - 1)
-- The driver's choice of domain (not a statement of the server).
select domain from bench_domain where n = :n \gset
-- The caller's account with its partner's name and locations, read once per request (UserAccounts): HTTP
-- Basic, then the current user.
with a as materialized (select username, password_hash, display_name, email, partner_id as account_partner, time_zone, language, array(select role from user_role r where r.username = u.username) as roles, array(select location_id from user_location_role l where l.username = u.username order by location_id, role) as grant_locations, array(select role from user_location_role l where l.username = u.username order by location_id, role) as grant_roles from app_user u where username = :user) select a.*, p.name as partner_name, l.id, l.partner_id, l.name, l.country, l.enrollment, l.enrollment_reason, l.enrollment_changed_at, l.enrollment_changed_by from a left join partner p on p.id = a.account_partner left join location l on l.partner_id = a.account_partner order by l.id;
select tenant_id::text as tenant_id from directory_domain where domain = :domain \gset
select customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd, opportunity_state, attributes::text as attributes from directory_customer where customer_key = 'TENANT:' || :tenant_id;
select domain from directory_domain where tenant_id = :tenant_id::uuid order by domain;
select engagement_id, customer_key, count(*) filter (where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')) as active_claims, coalesce(bool_or(partner_id = 'contoso' and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')), false) as mine, max(first_submission_due_at) filter (where partner_id <> 'contoso' and status = 'CONSENT_RECEIVED') as other_consent_until, coalesce(bool_or(partner_id <> 'contoso' and status in ('SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED')), false) as engaged_elsewhere from claim where engagement_id = any(:engagement_ids) and customer_key = any(array['TENANT:' || :tenant_id]) group by engagement_id, customer_key;
