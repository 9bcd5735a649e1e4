-- POST /api/v1/claims as :user (Contoso): "Add customer" of a fresh tenant by TENANT_ID for one engagement
-- (Nominations.nominate, then the created claim as the answer shows it: ClaimQueries.find), in the one
-- transaction the server runs it in. The (engagement, tenant) slot comes from the sequence the HTTP
-- driver takes slots from too, so no nomination collides with another.
-- Variables: user, engagements (rows of bench_engagement).
select nextval('bench_slot') as slot \gset
\set e :slot % :engagements
\set t :slot / :engagements
-- The driver's choice of engagement and tenant (not statements of the server).
select id as engagement_id from bench_engagement where n = :e \gset
select tenant_id, domain from bench_fresh where n = :t \gset
-- The caller's account with its partner's name and locations, read once per request (UserAccounts): HTTP
-- Basic, then the current user.
with a as materialized (select username, password_hash, display_name, email, partner_id as account_partner, time_zone, language, array(select role from user_role r where r.username = u.username) as roles, array(select location_id from user_location_role l where l.username = u.username order by location_id, role) as grant_locations, array(select role from user_location_role l where l.username = u.username order by location_id, role) as grant_roles from app_user u where username = :user) select a.*, p.name as partner_name, l.id, l.partner_id, l.name, l.country, l.enrollment, l.enrollment_reason, l.enrollment_changed_at, l.enrollment_changed_by from a left join partner p on p.id = a.account_partner left join location l on l.partner_id = a.account_partner order by l.id;
begin;
select customer_key, display_name, country, tpid, owner_tenant_id, segment, estimated_value_usd, opportunity_state, attributes::text as attributes from directory_customer where customer_key = 'TENANT:' || :tenant_id \gset
select domain from directory_domain where tenant_id = :tenant_id::uuid order by domain;
select pg_advisory_xact_lock(hashtextextended(:engagement_id || '|TENANT:' || :tenant_id, 0));
select engagement_id, customer_key, count(*) filter (where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')) as active_claims, coalesce(bool_or(partner_id = 'contoso' and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')), false) as mine, max(first_submission_due_at) filter (where partner_id <> 'contoso' and status = 'CONSENT_RECEIVED') as other_consent_until, coalesce(bool_or(partner_id <> 'contoso' and status in ('SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED')), false) as engaged_elsewhere from claim where engagement_id = any(array[:engagement_id::text]) and customer_key = any(array['TENANT:' || :tenant_id]) group by engagement_id, customer_key;
select market from market_country where country = :country;
insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type, identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at, hours, rate_card, proposed_payout_usd, customer_contact_name, customer_contact_email, customer_contact_phone, customer_contact_language, partner_contact_name, partner_contact_email, partner_contact_phone, mismatch_reason, mismatch_note, updated_at, payout_market, previous_claim_id) values (:engagement_id, 'contoso', '4100231', 'ADD', 'Benchmark ' || :slot, 'TENANT_ID', :tenant_id, 'TENANT:' || :tenant_id, :display_name, 'CUSTOMER_CLAIMED', now(), :user, now() + interval '30 days', null, cast(null as jsonb), 5000, 'Bench Customer', 'it@' || :domain, null, 'en', 'Anna de Vries', 'anna.devries@contoso-consulting.example', null, null, null, now(), 'A', null) returning id as claim_id \gset
insert into claim_history (claim_id, at, actor_type, actor, action, from_status, to_status, detail) values (:claim_id, now(), 'PARTNER_USER', :user, 'CUSTOMER_ADDED', null, 'CUSTOMER_CLAIMED', null);
select c.*, (select s.id from claim s where s.previous_claim_id = c.id) as next_claim_id from claim c where id = :claim_id and partner_id = 'contoso' and location_id = any('{4100231,4100232,4100233,4100234}');
select at, actor_type, actor, action, from_status, to_status, detail from claim_history where claim_id = :claim_id order by id;
select id, submission_id, file_name, content_type, size_bytes, sha256 from claim_document where claim_id = :claim_id order by id;
select id, kind, at, by_user, execution_date, comments from claim_submission where claim_id = :claim_id order by id;
select at, reviewer, decision, checklist, comment from claim_review_note where claim_id = :claim_id order by id;
select * from referral where claim_id = :claim_id;
commit;
