package org.mciengagements.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.eligibility.Decision;
import org.mciengagements.eligibility.EligibilityPolicy;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.eligibility.Question;
import org.mciengagements.eligibility.ReasonCode;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRole;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The demo program as the application loads it at start into its own empty embedded database.
 * Counts and invariants are read back with SQL, not from the loader's own bookkeeping.
 */
@SpringBootTest
class DemoProgramLoaderTest {

    private static final String MAIN_PARTNER = "contoso";
    private static final String MAIN_LOCATION = "4100231";
    private static final String MAIN_ENGAGEMENT = "copilot-readiness-workshop";
    private static final String ACTIVE = ClaimStatus.active().stream().map(s -> "'" + s + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    private static final String CONSENT_HELD = ClaimStatus.CONSENT_HELD.stream().map(s -> "'" + s + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    @Autowired JdbcClient jdbc;
    @Autowired ProgramLoader loader;
    @Autowired ProgramClock clock;
    @Autowired PasswordEncoder passwordEncoder;
    @Autowired EngagementCatalog catalog;
    @Autowired CustomerDirectory directory;
    @Autowired ProgramDirectory program;
    @Autowired EligibilityPolicy policy;
    @Autowired Expressions expressions;

    // ------------------------------------------------------------------ loading

    @Test
    void programLoadsOnlyIntoAnEmptyDatabaseSoASecondRunChangesNothing() {
        Map<String, String> before = fingerprint();

        assertThat(loader.load()).isEmpty();

        assertThat(fingerprint()).isEqualTo(before);
    }

    private Map<String, String> fingerprint() {
        Map<String, String> tables = new HashMap<>();
        for (String table : List.of("partner", "location", "market_country", "app_user", "user_location_role",
                "user_role", "directory_customer", "directory_domain", "engagement", "engagement_criterion",
                "engagement_fixed_payout", "engagement_rate_card", "claim", "claim_history", "known_customer")) {
            tables.put(table, jdbc.sql("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                    + table + " t").query(String.class).single());
        }
        return tables;
    }

    @Test
    void passwordsAreStoredOnlyAsHashes() {
        List<String> hashes = jdbc.sql("select password_hash from app_user").query(String.class).list();

        assertThat(hashes).hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(hash -> {
                    assertThat(hash).isNotEqualTo("demo").startsWith("$2");
                    assertThat(passwordEncoder.matches("demo", hash)).isTrue();
                });
    }

    // ------------------------------------------------------------------ partners, users

    @Test
    void twoPartnersWithLocationsInSeveralCountriesAndEveryEnrollmentStatus() {
        assertThat(jdbc.sql("select name from partner").query(String.class).list())
                .contains("Contoso Consulting", "Fabrikam Partners");
        assertThat(jdbc.sql("select distinct country from location").query(String.class).list())
                .contains("NL", "TR", "US", "DE");
        assertThat(jdbc.sql("select distinct enrollment from location").query(String.class).list())
                .containsExactlyInAnyOrder("ENROLLED", "NOT_ENROLLED", "SUSPENDED");
        assertThat(program.marketOf("NL")).isEqualTo(Market.A);
        assertThat(program.marketOf("TR")).isEqualTo(Market.B);
    }

    @Test
    void everyRoleHasAUserAndVendorStaffHaveNoPartner() {
        assertThat(jdbc.sql("select distinct role from user_location_role").query(String.class).list())
                .containsExactlyInAnyOrder(names(LocationRole.values()));
        assertThat(jdbc.sql("select distinct role from user_role").query(String.class).list())
                .containsExactlyInAnyOrder(names(GlobalRole.values()));
        assertThat(jdbc.sql("""
                        select count(*) from user_role r join app_user u using (username)
                        where r.role in ('PROGRAM_REVIEWER', 'PROGRAM_OPERATOR', 'SELLER') and u.partner_id is not null""")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                        select username from app_user u where partner_id is not null
                        and not exists (select 1 from user_location_role r where r.username = u.username)
                        and not exists (select 1 from user_role r where r.username = u.username)""")
                .query(String.class).list()).contains("noah");
        assertThat(jdbc.sql("""
                        select distinct u.partner_id from app_user u join user_location_role r using (username)""")
                .query(String.class).list()).containsExactlyInAnyOrder("contoso", "fabrikam");
        assertThat(jdbc.sql("select distinct time_zone from app_user").query(String.class).list())
                .contains("Europe/Amsterdam", "Europe/Istanbul");
        assertThat(jdbc.sql("select distinct language from app_user").query(String.class).list())
                .contains("en", "nl", "tr");
    }

    // ------------------------------------------------------------------ engagements

    @Test
    void engagementsCoverEveryPaymentModelIdentifierTypeAvailabilityAndType() {
        List<Engagement> engagements = catalog.all();
        Instant now = clock.instant();

        assertThat(engagements).hasSizeGreaterThanOrEqualTo(6);
        assertThat(engagements).extracting(e -> e.availability(now))
                .contains(Availability.UPCOMING, Availability.ACTIVE, Availability.RETIRED);
        assertThat(engagements).extracting(Engagement::paymentModel).contains(PaymentModel.FIXED, PaymentModel.VARIABLE);
        assertThat(engagements).extracting(Engagement::type).containsAll(EnumSet.allOf(EngagementType.class));
        assertThat(engagements).flatExtracting(e -> List.copyOf(e.identifierTypes()))
                .containsAll(EnumSet.allOf(IdentifierType.class));
        assertThat(engagements).filteredOn(Engagement::isVariable).isNotEmpty()
                .allSatisfy(e -> assertThat(e.identifierTypes()).containsExactly(IdentifierType.MSX_OPPORTUNITY_ID))
                .allSatisfy(e -> assertThat(e.rateCards()).isNotEmpty());
        assertThat(engagements).filteredOn(e -> !e.isVariable())
                .allSatisfy(e -> assertThat(e.identifierTypes()).doesNotContain(IdentifierType.MSX_OPPORTUNITY_ID))
                .allSatisfy(e -> assertThat(e.fixedPayouts()).containsOnlyKeys(Market.A, Market.B, Market.C));
        assertThat(engagements).anySatisfy(e -> assertThat(e.maxActiveClaimsPerCustomer()).isGreaterThan(1));
        assertThat(engagements).anySatisfy(e -> assertThat(e.allowedCountries()).isNotEmpty());
        assertThat(engagements).anySatisfy(e -> assertThat(e.eligibleLocationIds()).isNotEmpty());
        assertThat(engagements).anySatisfy(e -> assertThat(e.rateCards()).hasSizeGreaterThanOrEqualTo(2));
        assertThat(engagements).flatExtracting(e -> e.criteria().stream().map(Criterion::expression).toList())
                .contains("customer.paidSeats >= 300", "customer.segment == \"SMB\"",
                        "customer.azureMonthlyConsumptionUsd >= 1000.0");
        assertThat(engagements).anySatisfy(e -> {
            assertThat(e.referralPolicy().enabled()).isTrue();
            assertThat(e.referralPolicy().condition()).isEqualTo("claim.estimatedDealSizeUsd >= 10000.0");
            assertThat(e.referralPolicy().coSellCondition()).isEqualTo("customer.coSellEligible == true");
        });
    }

    @Test
    void omittedDeadlinesTakeTheEngagementTypeDefaultsAndGivenOnesOverrideThem() {
        Engagement workshop = catalog.find(MAIN_ENGAGEMENT).orElseThrow();
        Engagement poc = catalog.find("azure-migration-poc").orElseThrow();

        assertThat(workshop.deadlines()).isEqualTo(EngagementType.WORKSHOP.defaultDeadlines());
        assertThat(poc.deadlines().consentDays()).isEqualTo(21);
        assertThat(poc.deadlines().disputeDays()).isEqualTo(EngagementType.PROJECT_S.defaultDeadlines().disputeDays());
    }

    // ------------------------------------------------------------------ directory

    @Test
    void directoryHoldsAtLeastFiftyCustomersOfEveryKind() {
        Map<String, Long> byKind = jdbc.sql("""
                        select split_part(customer_key, ':', 1) as kind, count(*) from directory_customer group by 1""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2))).list().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        assertThat(byKind.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(50);
        assertThat(byKind).containsOnlyKeys("TENANT", "TPID", "SUBSCRIPTION", "OPPORTUNITY");
    }

    @Test
    void directoryKeysAndDomainsAreStoredInCanonicalForm() {
        List<String> keys = jdbc.sql("select customer_key from directory_customer").query(String.class).list();

        assertThat(keys).allSatisfy(key -> assertThat(key).matches(
                "TENANT:[0-9a-f-]{36}|SUBSCRIPTION:[0-9a-f-]{36}|TPID:[1-9][0-9]{0,9}|OPPORTUNITY:7-[A-Z0-9]{10}"));
        // Written upper-case, with leading zeros, in Unicode and with a trailing dot in the CSV files.
        assertThat(keys).contains("TENANT:af605526-d9d5-594a-bc66-99010e66da09", "TPID:12345",
                "SUBSCRIPTION:ff8808f6-9996-5cb1-927c-764e891361fd");
        assertThat(directory.tenantOf("xn--mller-bckerei-hfb76a.de")).contains("8bfcdef9-55ce-5ffb-adb0-10ce136820e7");
        assertThat(directory.tenantOf("adatum.net")).contains("af605526-d9d5-594a-bc66-99010e66da09");
        assertThat(jdbc.sql("select domain from directory_domain").query(String.class).list())
                .allSatisfy(domain -> assertThat(domain).matches("[a-z0-9.-]+").doesNotEndWith("."))
                .anySatisfy(domain -> assertThat(domain).startsWith("xn--"));
    }

    @Test
    void attributesKeepTheirJsonTypes() {
        DirectoryCustomer northwind = directory.find(CustomerKey.tenant("321591da-f721-58aa-807d-39fa4f917473")).orElseThrow();

        assertThat(northwind.attributes())
                .containsEntry("paidSeats", 1200L)
                .containsEntry("coSellEligible", true)
                .containsEntry("azureMonthlyConsumptionUsd", 4200.5)
                .containsEntry("industry", "Retail");
        assertThat(jdbc.sql("""
                        select attributes from directory_customer
                        where customer_key = 'TENANT:d6037e01-b358-507a-928f-b86d9d30c0db'""")
                .query(String.class).single()).doesNotContain("coSellEligible");
    }

    @Test
    void eligibilityDoesNotCascadeBetweenATenantAndItsTpid() {
        Engagement workshop = catalog.find(MAIN_ENGAGEMENT).orElseThrow();

        // Northwind: the tenant qualifies, its TPID does not.
        assertThat(meetsCriteria(workshop, "TENANT:321591da-f721-58aa-807d-39fa4f917473")).isTrue();
        assertThat(meetsCriteria(workshop, "TPID:1100001")).isFalse();
        // Tailspin Toys: the other way round.
        assertThat(meetsCriteria(workshop, "TENANT:575c8864-68cb-58d7-8139-83da86f9d15b")).isFalse();
        assertThat(meetsCriteria(workshop, "TPID:1100023")).isTrue();
    }

    private boolean meetsCriteria(Engagement engagement, String key) {
        Map<String, Object> customer = directory.find(CustomerKey.parse(key)).orElseThrow().criteriaView();
        return engagement.criteria().stream().allMatch(c -> expressions.holds(c.expression(), customer, Map.of()));
    }

    // ------------------------------------------------------------------ claims

    @Test
    void everyClaimStatusExistsForBothPartners() {
        for (String partner : List.of("contoso", "fabrikam")) {
            assertThat(jdbc.sql("select distinct status from claim where partner_id = ?").param(partner)
                    .query(String.class).list())
                    .as(partner).containsExactlyInAnyOrder(names(ClaimStatus.values()));
        }
    }

    /**
     * The columns the lifecycle's verbs stamp are there as if the verbs had run: a dispute makes a
     * later rejection final, the queue shows the last submission, a paid claim shows its payout.
     */
    @Test
    void claimsCarryTheStampsTheirStepsLeave() {
        assertThat(jdbc.sql("""
                        select id from claim where
                          (disputed_at is not null) <> exists (select 1 from claim_history h where h.claim_id = claim.id
                                                               and h.to_status = 'DISPUTED')
                          or (last_submitted_at is not null) <> exists (select 1 from claim_history h
                                                               where h.claim_id = claim.id and h.to_status = 'SUBMITTED')
                          or last_submitted_at is distinct from (select max(h.at) from claim_history h
                                                               where h.claim_id = claim.id and h.to_status = 'SUBMITTED')
                          or (execution_date is null) <> (last_submitted_at is null)
                          or (rejected_at is not null) <> exists (select 1 from claim_history h where h.claim_id = claim.id
                                                               and h.to_status in ('REJECTED', 'REJECTED_FINAL'))
                          or (approved_at is not null) <> (approved_payout_usd is not null)
                          or (status = 'COMPLETED') <> (completed_at is not null)
                          or (status = 'COMPLETED') <> (paid_usd is not null and paid_on is not null
                                                        and payout_reference = 'MCI-PAY-' || id)
                          or paid_usd <> approved_payout_usd""")
                .query(Long.class).list()).isEmpty();
        assertThat(jdbc.sql("select count(*) from claim where status in ('DISPUTED', 'REJECTED_FINAL') and disputed_at is null")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from claim where status = 'COMPLETED'").query(Long.class).single()).isPositive();
    }

    @Test
    void demoClaimsHaveExactlyTheReferralsTheirEngagementsPolicyGivesThem() {
        // copilot-readiness-workshop, the only policy that is on: deal size >= 10,000 at the consent request.
        assertThat(jdbc.sql("select id from engagement where referral_enabled").query(String.class).list())
                .containsExactly(MAIN_ENGAGEMENT);
        List<Long> expected = jdbc.sql("""
                        select id from claim where engagement_id = ? and consent_requested_at is not null
                          and estimated_deal_size_usd >= 10000 order by id""")
                .param(MAIN_ENGAGEMENT).query(Long.class).list();
        assertThat(jdbc.sql("select claim_id from referral order by claim_id").query(Long.class).list())
                .isEqualTo(expected).hasSizeGreaterThanOrEqualTo(10);
        // Co-sell exactly when the customer consented and its key is co-sell eligible.
        assertThat(jdbc.sql("select claim_id from referral where co_sell order by claim_id").query(Long.class).list())
                .isEqualTo(jdbc.sql("""
                        select c.id from claim c join referral r on r.claim_id = c.id
                        join directory_customer d on d.customer_key = c.customer_key
                        where c.consent_received_at is not null and (d.attributes->>'coSellEligible')::boolean
                        order by c.id""").query(Long.class).list())
                .isNotEmpty();
        // Closed as expired exactly when the claim was canceled, declined or its consent expired.
        assertThat(jdbc.sql("select claim_id from referral where sub_status = 'EXPIRED' order by claim_id")
                .query(Long.class).list())
                .isEqualTo(jdbc.sql("""
                        select c.id from claim c join referral r on r.claim_id = c.id
                        where c.status in ('CANCELED', 'CONSENT_DECLINED', 'CONSENT_EXPIRED') order by c.id""")
                        .query(Long.class).list())
                .isNotEmpty();
        // Each was created by the consent request, at its time, by the partner user who sent it.
        assertThat(jdbc.sql("""
                        select count(*) from referral r join claim c on c.id = r.claim_id
                        join referral_history h on h.referral_id = r.id and h.action = 'CREATED'
                        where h.at = c.consent_requested_at and r.created_at = c.consent_requested_at
                          and h.actor = r.created_by and r.created_by = c.created_by""").query(Long.class).single())
                .isEqualTo((long) expected.size());
        // Both referral administrators have open referrals, including co-sell ones the seller may still
        // accept; and the demo shows every sub-status.
        for (String partner : List.of("contoso", "fabrikam")) {
            assertThat(jdbc.sql("select count(*) from referral where partner_id = ? and co_sell and sub_status = 'PENDING'")
                    .param(partner).query(Long.class).single()).as(partner).isPositive();
        }
        assertThat(jdbc.sql("select distinct sub_status from referral").query(String.class).list())
                .containsExactlyInAnyOrder("PENDING", "ACCEPTED", "WON", "LOST", "DECLINED", "EXPIRED");
    }

    @Test
    void claimsPastConsentCarryTheirProofReviewerNotesAndPayoutRecords() {
        // Every claim ever submitted has a submission with a proof PDF that really is a PDF.
        List<Long> submitted = jdbc.sql("select id from claim where submitted_at is not null").query(Long.class).list();
        assertThat(submitted).isNotEmpty();
        for (long id : submitted) {
            byte[] pdf = jdbc.sql("""
                            select d.content from claim_document d join claim_submission s on s.id = d.submission_id
                            where d.claim_id = ? and s.kind = 'SUBMISSION'""").param(id).query(byte[].class).single();
            assertThat(org.mciengagements.claim.ProofDocuments.detect(pdf)).as("claim %d", id)
                    .contains(org.mciengagements.claim.ProofDocuments.Type.PDF);
            assertThat(new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("Claim " + id).endsWith("%%EOF\n");
        }
        // A reviewer's request names its checklist; rejected and disputed claims have the dispute record.
        assertThat(jdbc.sql("""
                        select count(*) from claim c where c.status = 'PARTNER_ACTION_REQUIRED' and not exists (
                          select 1 from claim_review_note n where n.claim_id = c.id and n.decision = 'REQUEST_ACTION'
                            and cardinality(n.checklist) > 0)""").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("""
                        select count(*) from claim c where c.status in ('DISPUTED', 'REJECTED_FINAL')
                          and (c.disputed_at is null or not exists (
                            select 1 from claim_submission s where s.claim_id = c.id and s.kind = 'DISPUTE'))""")
                .query(Long.class).single()).isZero();
        // Completed claims were paid their approved amount, with a reference.
        assertThat(jdbc.sql("""
                        select count(*) from claim where status = 'COMPLETED'
                          and (paid_usd is distinct from approved_payout_usd or payout_reference is null)""")
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from claim where status = 'COMPLETED'").query(Long.class).single()).isPositive();
    }

    @Test
    void atMostOnePartnerHoldsConsentPerEngagementAndCustomerKey() {
        assertThat(jdbc.sql("select engagement_id, customer_key from claim where status in " + CONSENT_HELD
                        + " group by 1, 2 having count(*) > 1").query(String.class).list()).isEmpty();
    }

    @Test
    void aPartnerHoldsAtMostOneActiveClaimPerEngagementAndCustomerKey() {
        assertThat(jdbc.sql("select engagement_id, customer_key, partner_id from claim where status in " + ACTIVE
                        + " group by 1, 2, 3 having count(*) > 1").query(String.class).list()).isEmpty();
    }

    @Test
    void activeClaimsPerEngagementAndCustomerKeyNeverExceedTheEngagementLimit() {
        assertThat(jdbc.sql("select c.engagement_id from claim c join engagement e on e.id = c.engagement_id where c.status in "
                        + ACTIVE + " group by c.engagement_id, c.customer_key, e.max_active_claims"
                        + " having count(*) > e.max_active_claims").query(String.class).list()).isEmpty();
        // The limit of two is actually used: two partners with pre-consent claims for one customer.
        assertThat(jdbc.sql("select count(*) from claim c join engagement e on e.id = c.engagement_id where c.status in "
                        + ACTIVE + " and e.max_active_claims > 1 group by c.engagement_id, c.customer_key"
                        + " order by 1 desc limit 1").query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void knownCustomersAreExactlyThePartnersKeysThatGaveConsent() {
        Set<String> consented = Set.copyOf(jdbc.sql("""
                        select distinct partner_id || ' ' || customer_key from claim where consent_received_at is not null""")
                .query(String.class).list());
        Set<String> known = Set.copyOf(jdbc.sql("select partner_id || ' ' || customer_key from known_customer")
                .query(String.class).list());

        assertThat(known).isEqualTo(consented);
        assertThat(jdbc.sql("""
                        select count(*) from known_customer k join claim c on c.id = k.last_claim_id
                        where c.partner_id <> k.partner_id or c.customer_key <> k.customer_key
                           or c.consent_received_at <> k.consented_at""").query(Long.class).single()).isZero();
        // Terminal claims that had consent leave known customers too.
        assertThat(jdbc.sql("""
                        select distinct c.status from claim c join known_customer k
                        on k.partner_id = c.partner_id and k.customer_key = c.customer_key""").query(String.class).list())
                .contains("COMPLETED", "NOT_SUBMITTED_EXPIRED", "REJECTED_FINAL");
    }

    @Test
    void claimDatesAndAmountsFitTheirStatus() {
        Timestamp now = Timestamp.from(clock.instant());
        String afterConsentRequest = "('AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', "
                + "'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED', 'COMPLETED', 'CONSENT_DECLINED', "
                + "'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED', 'DISPUTE_EXPIRED', 'REJECTED_FINAL')";
        String afterConsent = "('CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', "
                + "'DISPUTED', 'APPROVED', 'COMPLETED', 'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED', "
                + "'DISPUTE_EXPIRED', 'REJECTED_FINAL')";
        Map<String, String> violations = new java.util.LinkedHashMap<>();
        violations.put("created in the past", "c.created_at >= :now or c.updated_at > :now");
        violations.put("consent due from creation",
                "consent_due_at <> c.created_at + make_interval(days => e.consent_days)");
        violations.put("pre-consent claims still open", "c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT') and consent_due_at <= :now");
        violations.put("consent requested with deal size", "c.status in " + afterConsentRequest
                + " and (consent_requested_at is null or estimated_deal_size_usd is null)");
        violations.put("consent deadlines", "c.status in " + afterConsent + " and (consent_received_at is null"
                + " or first_submission_due_at <> consent_received_at + make_interval(days => e.first_submission_days)"
                + " or review_due_at <> consent_received_at + make_interval(days => e.review_days))");
        violations.put("consent received still open", "c.status = 'CONSENT_RECEIVED' and first_submission_due_at <= :now");
        violations.put("no consent without consent status", "c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT',"
                + " 'CONSENT_DECLINED', 'CONSENT_EXPIRED') and consent_received_at is not null");
        violations.put("rejection opens the dispute window", "c.status in ('REJECTED', 'DISPUTED', 'DISPUTE_EXPIRED',"
                + " 'REJECTED_FINAL') and dispute_due_at is null");
        violations.put("rejected still open", "c.status = 'REJECTED' and dispute_due_at <= :now");
        violations.put("action requested with a deadline ahead", "c.status = 'PARTNER_ACTION_REQUIRED'"
                + " and (action_due_at is null or action_due_at <= :now or status_reason is null)");
        violations.put("submitted", "c.status in ('SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED',"
                + " 'DISPUTED', 'APPROVED', 'COMPLETED') and submitted_at is null");
        violations.put("variable claims priced", "e.payment_model = 'VARIABLE' and (hours is null or rate_card is null"
                + " or proposed_payout_usd is null)");
        violations.put("fixed claims without hours", "e.payment_model = 'FIXED' and (hours is not null or rate_card is not null)");
        violations.put("approved payout", "(c.status in ('APPROVED', 'COMPLETED')) <> (approved_payout_usd is not null)");
        violations.put("contacts", "customer_contact_email not like '%@%.%' or partner_contact_email not like '%@%.%'");
        for (var check : violations.entrySet()) {
            assertThat(jdbc.sql("select c.id from claim c join engagement e on e.id = c.engagement_id where "
                            + check.getValue()).param("now", now).query(Long.class).list())
                    .as(check.getKey()).isEmpty();
        }
    }

    @Test
    void variableClaimsSnapshotTheRateCardInForceOnTheirCreationDay() {
        Engagement data = catalog.find("azure-data-modernization").orElseThrow();
        List<String> snapshots = jdbc.sql("""
                        select distinct rate_card ->> 'effectiveFrom' from claim where engagement_id = ?""")
                .param(data.id()).query(String.class).list();

        assertThat(snapshots).hasSize(2);
        assertThat(jdbc.sql("""
                        select count(*) from claim where engagement_id = ?
                        and (rate_card ->> 'effectiveFrom')::date > created_at::date""")
                .param(data.id()).query(Long.class).single()).isZero();
        // Capped: 150 h at the older card's 150 USD would be 22,500; 15 % of 120,000 is 18,000.
        assertThat(jdbc.sql("select proposed_payout_usd from claim where customer_key = 'OPPORTUNITY:7-3M8X5A2DWX'")
                .query(java.math.BigDecimal.class).single()).isEqualByComparingTo("18000");
    }

    @Test
    void everyStatusChangeIsInTheClaimHistory() {
        record Row(long claimId, String status, Timestamp created, Timestamp at, String from, String to) {}
        Map<Long, List<Row>> history = jdbc.sql("""
                        select c.id, c.status, c.created_at, h.at, h.from_status, h.to_status
                        from claim c join claim_history h on h.claim_id = c.id order by c.id, h.id""")
                .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getTimestamp(3), rs.getTimestamp(4),
                        rs.getString(5), rs.getString(6)))
                .list().stream().collect(Collectors.groupingBy(Row::claimId));

        assertThat(history).hasSize(jdbc.sql("select count(*) from claim").query(Integer.class).single());
        history.forEach((id, rows) -> {
            assertThat(rows.getFirst().from()).as("claim %d", id).isNull();
            assertThat(rows.getFirst().to()).isEqualTo("CUSTOMER_CLAIMED");
            assertThat(rows.getFirst().at()).isEqualTo(rows.getFirst().created());
            for (int i = 1; i < rows.size(); i++) {
                Row previous = rows.get(i - 1);
                Row row = rows.get(i);
                assertThat(row.from()).as("claim %d step %d", id, i).isEqualTo(previous.to());
                assertThat(ClaimStatus.valueOf(row.from()).canMoveTo(ClaimStatus.valueOf(row.to())))
                        .as("claim %d: %s -> %s", id, row.from(), row.to()).isTrue();
                assertThat(row.at()).isAfterOrEqualTo(previous.at());
            }
            assertThat(rows.getLast().to()).as("claim %d", id).isEqualTo(rows.getLast().status());
        });
        assertThat(jdbc.sql("select distinct actor_type from claim_history").query(String.class).list())
                .contains("PARTNER_USER", "CUSTOMER", "REVIEWER", "SYSTEM");
    }

    // ------------------------------------------------------------------ the main demo's Customers page

    @Test
    void mainDemoCustomersPageHasRowsOnEveryTab() {
        Engagement workshop = catalog.find(MAIN_ENGAGEMENT).orElseThrow();
        Location location = program.location(MAIN_LOCATION).orElseThrow();
        Instant now = clock.instant();

        List<String> activeClaims = jdbc.sql("""
                        select status from claim where partner_id = ? and engagement_id = ? and status in """ + ACTIVE)
                .params(MAIN_PARTNER, MAIN_ENGAGEMENT).query(String.class).list();
        assertThat(activeClaims).containsExactlyInAnyOrder(names(ClaimStatus.active().toArray(ClaimStatus[]::new)));

        List<String> complete = jdbc.sql("select status from claim where partner_id = ? and engagement_id = ?"
                        + " and status in ('COMPLETED', 'CANCELED', 'NOT_SUBMITTED_EXPIRED', 'POST_SUBMISSION_EXPIRED',"
                        + " 'DISPUTE_EXPIRED', 'REJECTED_FINAL')")
                .params(MAIN_PARTNER, MAIN_ENGAGEMENT).query(String.class).list();
        assertThat(complete).containsExactlyInAnyOrder(names(ClaimStatus.COMPLETE_TAB.toArray(ClaimStatus[]::new)));

        List<String> knownWithoutActiveClaim = jdbc.sql("""
                        select k.customer_key from known_customer k where k.partner_id = :partner
                        and not exists (select 1 from claim c where c.partner_id = k.partner_id
                            and c.customer_key = k.customer_key and c.engagement_id = :engagement and c.status in """
                        + ACTIVE + ")")
                .param("partner", MAIN_PARTNER).param("engagement", MAIN_ENGAGEMENT).query(String.class).list();
        Map<String, Decision> decisions = new HashMap<>();
        for (String key : knownWithoutActiveClaim) {
            CustomerKey customerKey = CustomerKey.parse(key);
            decisions.put(directory.find(customerKey).orElseThrow().displayName() + " " + key,
                    policy.decide(new Question(workshop, location, null, customerKey, directory.find(customerKey),
                            marketFacts(key, now), now)));
        }

        assertThat(decisions.entrySet().stream().filter(e -> e.getValue().eligible()).map(Map.Entry::getKey))
                .anyMatch(name -> name.startsWith("Coho Winery"))
                .anyMatch(name -> name.startsWith("Trey Research"))
                .anyMatch(name -> name.startsWith("Relecloud"))
                .anyMatch(name -> name.startsWith("Müller Bäckerei"));
        // The other partner's claim is active too, so with a limit of one the limit is reached as well.
        assertThat(reasonsFor(decisions, "VanArsdel"))
                .containsExactly(ReasonCode.CONSENTED_TO_ANOTHER_PARTNER, ReasonCode.CLAIM_LIMIT_REACHED);
        assertThat(reasonsFor(decisions, "Tailwind"))
                .containsExactly(ReasonCode.ENGAGED_WITH_ANOTHER_PARTNER, ReasonCode.CLAIM_LIMIT_REACHED);
        assertThat(reasonsFor(decisions, "Bellows")).containsExactly(ReasonCode.CRITERIA_NOT_MET);
        assertThat(reasonsFor(decisions, "Consolidated")).containsExactly(ReasonCode.CLAIM_LIMIT_REACHED);
        assertThat(decisions.get(decisions.keySet().stream().filter(k -> k.contains("Bellows")).findFirst().orElseThrow())
                .reasons().getFirst().failedCriteria()).hasSize(2);
    }

    private static List<ReasonCode> reasonsFor(Map<String, Decision> decisions, String name) {
        return decisions.entrySet().stream().filter(e -> e.getKey().contains(name)).findFirst().orElseThrow()
                .getValue().reasons().stream().map(r -> r.code()).toList();
    }

    /** The facts SPEC §6 names, read from the claims as the claim module would. */
    private MarketFacts marketFacts(String key, Instant now) {
        Timestamp otherConsentUntil = jdbc.sql("""
                        select max(first_submission_due_at) from claim where engagement_id = ? and customer_key = ?
                        and partner_id <> ? and status = 'CONSENT_RECEIVED'""")
                .params(MAIN_ENGAGEMENT, key, MAIN_PARTNER).query(Timestamp.class).optional().orElse(null);
        boolean engagedElsewhere = jdbc.sql("select count(*) from claim where engagement_id = ? and customer_key = ?"
                        + " and partner_id <> ? and status in " + sqlList(ClaimStatus.ENGAGED))
                .params(MAIN_ENGAGEMENT, key, MAIN_PARTNER).query(Long.class).single() > 0;
        int active = jdbc.sql("select count(*) from claim where engagement_id = ? and customer_key = ? and status in "
                        + ACTIVE).params(MAIN_ENGAGEMENT, key).query(Integer.class).single();
        boolean nominated = jdbc.sql("select count(*) from claim where engagement_id = ? and customer_key = ?"
                        + " and partner_id = ? and status in " + ACTIVE)
                .params(MAIN_ENGAGEMENT, key, MAIN_PARTNER).query(Long.class).single() > 0;
        return new MarketFacts(otherConsentUntil == null ? null : otherConsentUntil.toInstant(), engagedElsewhere,
                active, nominated);
    }

    private static String sqlList(Set<ClaimStatus> statuses) {
        return statuses.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    private static String[] names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toArray(String[]::new);
    }
}
