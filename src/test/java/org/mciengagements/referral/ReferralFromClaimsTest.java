package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.consent.Consents;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.UserAccounts;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Referrals follow their claims (SPEC §11), through the API on PostgreSQL: created by the consent
 * request when the engagement's policy holds, in its transaction; upgraded to co-sell by the
 * customer's consent when the customer key qualifies; closed as expired when the claim is canceled
 * (also because another partner won the customer), declined, or its consent expires.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=referral-from-claims", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ReferralFromClaimsTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    @Autowired
    Consents consents;
    @Autowired
    UserAccounts accounts;
    @Autowired
    TransactionTemplate transactions;
    Http http;
    ReferralFixture fixture;
    String engagement;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        fixture = new ReferralFixture(http, jdbc, catalog, clock, "referral-flow");
        engagement = fixture.engagement(ReferralFixture.DEMO_POLICY);
    }

    // ------------------------------------------------------------------ creation at the consent request

    @Test
    void aConsentRequestMeetingTheConditionCreatesAPartnerLedReferralFromTheClaim() {
        String tenant = fixture.plainTenant();
        long claim = fixture.nominate("anna", "4100231", tenant, engagement);
        fixture.sendConsent("anna", claim, "10000");

        Map<String, Object> referral = fixture.referralOf(claim).orElseThrow();
        assertThat(referral).containsEntry("engagement_id", engagement).containsEntry("partner_id", "contoso")
                .containsEntry("location_id", "4100231").containsEntry("customer_key", "TENANT:" + tenant)
                .containsEntry("claim_name", "Referral test").containsEntry("partner_contact_name", "Pat Partner")
                .containsEntry("partner_contact_email", "pat@partner.example")
                .containsEntry("partner_contact_phone", "+31 20 555 0101").containsEntry("status", "NEW")
                .containsEntry("sub_status", "PENDING").containsEntry("co_sell", false).containsEntry("created_by", "anna")
                .containsEntry("co_sell_at", null).containsEntry("closed_at", null);
        assertThat((BigDecimal) referral.get("estimated_deal_size_usd")).isEqualByComparingTo("10000");
        assertThat(referral.get("customer_name")).isEqualTo(jdbc.sql("select customer_name from claim where id = ?")
                .param(claim).query(String.class).single());
        assertThat(referral.get("created_at")).as("created at the consent request")
                .isEqualTo(jdbc.sql("select consent_requested_at from claim where id = ?").param(claim)
                        .query(Timestamp.class).single());
        assertThat(fixture.historyOf(claim)).containsExactly("CREATED:->PENDING");
        assertThat(jdbc.sql("select detail from referral_history h join referral r on r.id = h.referral_id where r.claim_id = ?")
                .param(claim).query(String.class).single()).isEqualTo("CONDITION_MET: claim.estimatedDealSizeUsd >= 10000.0");

        JsonNode summary = ReferralFixture.JSON.readTree(http.get("anna", "/api/v1/claims/" + claim).body()).get("referral");
        assertThat(summary.get("id").asLong()).isEqualTo(fixture.referralIdOf(claim));
        assertThat(summary.get("status").asString()).isEqualTo("NEW");
        assertThat(summary.get("subStatus").asString()).isEqualTo("PENDING");
        assertThat(summary.get("coSell").asBoolean()).isFalse();
    }

    @Test
    void aDealSizeBelowTheConditionCreatesNoReferral() {
        long claim = fixture.consentRequested("anna", "4100231", engagement, fixture.coSellTenant(), "9999.99");
        assertThat(fixture.claimStatus(claim)).isEqualTo("AWAITING_CONSENT");
        assertThat(fixture.stateOf(claim)).isEqualTo("none");
        assertThat(ReferralFixture.JSON.readTree(http.get("anna", "/api/v1/claims/" + claim).body()).get("referral").isNull())
                .isTrue();
        // Consent does not create one later either.
        fixture.accept(fixture.latestToken(claim));
        assertThat(fixture.stateOf(claim)).isEqualTo("none");
    }

    @Test
    void anEngagementWhosePolicyIsOffCreatesNoReferralWhateverTheDeal() {
        String off = fixture.engagement(new ReferralPolicy(false, "true", "true"));
        long claim = fixture.consentRequested("anna", "4100231", off, fixture.coSellTenant(), "5000000");
        assertThat(fixture.claimStatus(claim)).isEqualTo("AWAITING_CONSENT");
        assertThat(fixture.stateOf(claim)).isEqualTo("none");
    }

    @Test
    void conditionsReadTheClaimsFactsAndTheCustomerKeysAttributes() {
        String picky = fixture.engagement(new ReferralPolicy(true, """
                claim.partnerId == 'contoso' && claim.locationId == '4100231' && claim.engagementId.startsWith('referral-flow')
                 && claim.customerKey.startsWith('TENANT:') && !has(claim.hours) && customer.industry == 'Retail'""", null));
        long retail = fixture.consentRequested("anna", "4100231", picky, fixture.plainTenant(), "1");
        long mining = fixture.consentRequested("anna", "4100231", picky, fixture.tenant("{\"industry\": \"Mining\"}"), "1");
        long otherLocation = fixture.consentRequested("anna", "4100233", picky, fixture.plainTenant(), "1");
        long otherPartner = fixture.consentRequested("farah", "5200411", picky, fixture.plainTenant(), "1");
        assertThat(fixture.stateOf(retail)).isEqualTo("NEW/PENDING partner-led");
        assertThat(fixture.stateOf(mining)).isEqualTo("none");
        assertThat(fixture.stateOf(otherLocation)).isEqualTo("none");
        assertThat(fixture.stateOf(otherPartner)).isEqualTo("none");
    }

    // ------------------------------------------------------------------ one transaction with the consent request

    @Test
    void aRefusedConsentRequestCreatesNoReferral() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        HttpResponse<String> noDisclaimer = http.postJson("anna", "/api/v1/claims/" + claim + "/consent-request",
                "{\"estimatedDealSizeUsd\":50000}");
        assertThat(noDisclaimer.statusCode()).isEqualTo(400);
        assertThat(fixture.requestConsent("farah", claim, "50000").statusCode()).as("another partner's claim").isEqualTo(404);
        assertThat(fixture.requestConsent("umut", claim, "50000").statusCode()).as("a location umut does not see")
                .isEqualTo(404);
        assertThat(fixture.claimStatus(claim)).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(fixture.stateOf(claim)).isEqualTo("none");
    }

    @Test
    void theReferralIsWrittenInTheConsentRequestsTransactionAndRolledBackWithIt() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        CurrentUser anna = accounts.currentUser("anna").orElseThrow();
        transactions.executeWithoutResult(tx -> {
            consents.request(anna, claim, new Consents.Request(new BigDecimal("40000"), null, null, true),
                    "http://localhost", clock.instant());
            assertThat(fixture.stateOf(claim)).as("visible inside the request's transaction").isEqualTo("NEW/PENDING partner-led");
            tx.setRollbackOnly(); // as if anything after the move had failed
        });
        assertThat(fixture.claimStatus(claim)).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(fixture.stateOf(claim)).isEqualTo("none");
        assertThat(jdbc.sql("select count(*) from referral_history h join referral r on r.id = h.referral_id where r.claim_id = ?")
                .param(claim).query(Long.class).single()).isZero();
    }

    @Test
    void aReferralThatCannotBeWrittenRefusesTheConsentRequestAndNothingIsSent() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        // A referral the claim cannot have: it takes the one place a claim has for its referral.
        jdbc.sql("""
                        insert into referral (claim_id, engagement_id, partner_id, location_id, customer_key, customer_name,
                            claim_name, estimated_deal_size_usd, partner_contact_name, partner_contact_email, status,
                            sub_status, created_at, created_by, updated_at, closed_at)
                        select id, engagement_id, partner_id, location_id, customer_key, customer_name, friendly_name, 1,
                            'x', 'x@x.example', 'CLOSED', 'DECLINED', now(), 'anna', now(), now() from claim where id = ?""")
                .param(claim).update();
        HttpResponse<String> refused = fixture.requestConsent("anna", claim, "40000");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(500);
        assertThat(fixture.claimStatus(claim)).isEqualTo("CUSTOMER_CLAIMED");
        assertThat(jdbc.sql("select estimated_deal_size_usd from claim where id = ?").param(claim).query(BigDecimal.class)
                .optional()).isEmpty();
        assertThat(jdbc.sql("select count(*) from outbox_email where claim_id = ?").param(claim).query(Long.class).single())
                .as("no consent mail").isZero();
        assertThat(jdbc.sql("select count(*) from consent_token where claim_id = ?").param(claim).query(Long.class).single())
                .isZero();
    }

    // ------------------------------------------------------------------ the upgrade at consent

    @Test
    void consentUpgradesTheReferralToCoSellWhenTheCustomerKeyQualifies() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        fixture.accept(fixture.sendConsent("anna", claim, "25000"));
        assertThat(fixture.claimStatus(claim)).isEqualTo("CONSENT_RECEIVED");
        assertThat(fixture.stateOf(claim)).isEqualTo("NEW/PENDING co-sell");
        assertThat(fixture.referralOf(claim).orElseThrow().get("co_sell_at")).as("upgraded at the consent")
                .isEqualTo(jdbc.sql("select consent_received_at from claim where id = ?").param(claim)
                        .query(Timestamp.class).single());
        assertThat(fixture.historyOf(claim)).containsExactly("CREATED:->PENDING", "CO_SELL:PENDING>PENDING");
        assertThat(ReferralFixture.JSON.readTree(http.get("anna", "/api/v1/claims/" + claim).body())
                .get("referral").get("coSell").asBoolean()).isTrue();
    }

    @Test
    void consentLeavesTheReferralPartnerLedWhenTheCustomerKeyDoesNotQualify() {
        long notEligible = fixture.nominate("anna", "4100231", fixture.plainTenant(), engagement);
        fixture.accept(fixture.sendConsent("anna", notEligible, "25000"));
        long unknown = fixture.nominate("anna", "4100231", fixture.tenant("{}"), engagement);
        fixture.accept(fixture.sendConsent("anna", unknown, "25000"));
        for (long claim : List.of(notEligible, unknown)) {
            assertThat(fixture.claimStatus(claim)).isEqualTo("CONSENT_RECEIVED");
            assertThat(fixture.stateOf(claim)).isEqualTo("NEW/PENDING partner-led");
            assertThat(fixture.historyOf(claim)).containsExactly("CREATED:->PENDING");
        }
    }

    @Test
    void aReferralThePartnerDeclinedIsNotUpgradedByALaterConsent() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        String token = fixture.sendConsent("anna", claim, "25000");
        decide("ruth", fixture.referralIdOf(claim), "DECLINE", 200);
        fixture.accept(token);
        assertThat(fixture.stateOf(claim)).isEqualTo("CLOSED/DECLINED partner-led");
    }

    // ------------------------------------------------------------------ closing with the claim

    @Test
    void aDeclinedConsentClosesTheReferralAsExpired() {
        long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        assertThat(fixture.answer(fixture.sendConsent("anna", claim, "25000"), "DECLINE").statusCode()).isEqualTo(200);
        assertThat(fixture.claimStatus(claim)).isEqualTo("CONSENT_DECLINED");
        assertThat(fixture.stateOf(claim)).isEqualTo("CLOSED/EXPIRED partner-led");
        assertThat(fixture.historyOf(claim)).containsExactly("CREATED:->PENDING", "EXPIRED:PENDING>EXPIRED");
        assertThat(fixture.referralOf(claim).orElseThrow().get("closed_at")).isNotNull();
    }

    @Test
    void aCanceledClaimClosesItsReferralAsExpiredBeforeAndAfterConsent() {
        long before = fixture.consentRequested("anna", "4100231", engagement, fixture.coSellTenant(), "25000");
        long after = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        fixture.accept(fixture.sendConsent("anna", after, "25000"));
        long accepted = fixture.consentRequested("anna", "4100231", engagement, fixture.plainTenant(), "25000");
        decide("ruth", fixture.referralIdOf(accepted), "ACCEPT", 200);
        for (long claim : List.of(before, after, accepted)) {
            HttpResponse<String> canceled = http.postJson("anna", "/api/v1/claims/" + claim + "/cancellation",
                    "{\"reason\":\"The customer postponed.\"}");
            assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
            assertThat(fixture.claimStatus(claim)).isEqualTo("CANCELED");
        }
        assertThat(fixture.stateOf(before)).isEqualTo("CLOSED/EXPIRED partner-led");
        assertThat(fixture.stateOf(after)).as("a co-sell referral closes too").isEqualTo("CLOSED/EXPIRED co-sell");
        assertThat(fixture.stateOf(accepted)).as("any open referral closes").isEqualTo("CLOSED/EXPIRED partner-led");
        assertThat(fixture.historyOf(accepted)).containsExactly("CREATED:->PENDING", "ACCEPT:PENDING>ACCEPTED",
                "EXPIRED:ACCEPTED>EXPIRED");
        assertThat(jdbc.sql("select h.detail from referral_history h join referral r on r.id = h.referral_id"
                        + " where r.claim_id = ? and h.action = 'EXPIRED'").param(before).query(String.class).single())
                .isEqualTo("CANCELED: The customer postponed.");
    }

    @Test
    void whenAnotherPartnersCustomerConsentsFirstTheLosersReferralClosesAndTheWinnersIsUpgraded() {
        String tenant = fixture.coSellTenant();
        long contoso = fixture.nominate("anna", "4100231", tenant, engagement);
        long fabrikam = fixture.nominate("farah", "5200411", tenant, engagement);
        fixture.sendConsent("anna", contoso, "30000");
        fixture.accept(fixture.sendConsent("farah", fabrikam, "30000"));
        assertThat(fixture.claimStatus(contoso)).isEqualTo("CANCELED");
        assertThat(fixture.claimStatus(fabrikam)).isEqualTo("CONSENT_RECEIVED");
        assertThat(fixture.stateOf(contoso)).isEqualTo("CLOSED/EXPIRED partner-led");
        assertThat(fixture.stateOf(fabrikam)).isEqualTo("NEW/PENDING co-sell");
        assertThat(jdbc.sql("select h.detail from referral_history h join referral r on r.id = h.referral_id"
                        + " where r.claim_id = ? and h.action = 'EXPIRED'").param(contoso).query(String.class).single())
                .isEqualTo("CANCELED: CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER");
        assertThat(ReferralFixture.text(http.page("ruth", "/referrals/" + fixture.referralIdOf(contoso) + "?lang=en").body()))
                .contains("Closed with the claim").contains("Canceled: The customer consented to another partner.");
    }

    @Test
    void anExpiredConsentClosesTheReferralButALaterExpiryAfterConsentLeavesItOpen() {
        long unanswered = fixture.consentRequested("anna", "4100231", engagement, fixture.coSellTenant(), "25000");
        long consented = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
        fixture.accept(fixture.sendConsent("anna", consented, "25000"));

        advance("P31D");
        runDeadlineJob();
        assertThat(fixture.claimStatus(unanswered)).isEqualTo("CONSENT_EXPIRED");
        assertThat(fixture.stateOf(unanswered)).isEqualTo("CLOSED/EXPIRED partner-led");
        assertThat(jdbc.sql("select h.detail from referral_history h join referral r on r.id = h.referral_id"
                        + " where r.claim_id = ? and h.action = 'EXPIRED'").param(unanswered).query(String.class).single())
                .isEqualTo("CONSENT_EXPIRED: DEADLINE_PASSED");
        runDeadlineJob();
        assertThat(fixture.historyOf(unanswered)).as("closed once").containsExactly("CREATED:->PENDING",
                "EXPIRED:PENDING>EXPIRED");

        // The customer consented: the deal is the referral's own business now, whatever becomes of the claim.
        advance("P60D");
        runDeadlineJob();
        assertThat(fixture.claimStatus(consented)).isEqualTo("NOT_SUBMITTED_EXPIRED");
        assertThat(fixture.stateOf(consented)).isEqualTo("NEW/PENDING co-sell");
    }

    private void decide(String user, long referral, String decision, int expected) {
        HttpResponse<String> response = http.postJson(user, "/api/v1/referrals/" + referral + "/decisions",
                "{\"decision\":\"" + decision + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    }

    private void advance(String period) {
        assertThat(http.postJson("oscar", "/api/v1/admin/clock", "{\"advance\":\"" + period + "\"}").statusCode())
                .isEqualTo(200);
    }

    private void runDeadlineJob() {
        HttpResponse<String> run = http.postJson("oscar", "/api/v1/admin/jobs/deadlines", "{}");
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    }
}
