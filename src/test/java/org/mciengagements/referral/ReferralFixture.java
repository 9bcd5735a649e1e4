package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.engagement.ReferralPolicy;
import org.mciengagements.program.Market;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Claims with referrals made the way partners and customers make them: engagements with a referral
 * policy of the test's choosing, fresh tenants with the attributes it needs, nominations, consent
 * requests and the customer's answer through the API. Every engagement and tenant is new, so tests
 * sharing one database never meet each other's claims.
 */
final class ReferralFixture {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern LINK = Pattern.compile("/consent/([A-Za-z0-9_-]{43})");
    /** The policy of the demo's copilot-readiness-workshop. */
    static final ReferralPolicy DEMO_POLICY = new ReferralPolicy(true, "claim.estimatedDealSizeUsd >= 10000.0",
            "customer.coSellEligible == true");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Http http;
    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final ProgramClock clock;
    private final String prefix;

    ReferralFixture(Http http, JdbcClient jdbc, EngagementCatalog catalog, ProgramClock clock, String prefix) {
        this.http = http;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.clock = clock;
        this.prefix = prefix;
    }

    /** A new FIXED workshop open to every location for tenants, with up to three active claims per customer. */
    String engagement(ReferralPolicy policy) {
        String id = prefix + "-" + SEQUENCE.incrementAndGet();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        catalog.save(new Engagement(id, "Referral workshop " + id, "A workshop that may lead to a deal", "Tests",
                EngagementType.WORKSHOP, today.minusDays(400), today.plusDays(800), PaymentModel.FIXED,
                EnumSet.of(IdentifierType.TENANT_ID), Set.of(), Set.of(), 3, EngagementType.WORKSHOP.defaultDeadlines(),
                List.of(), Map.of(Market.A, BigDecimal.ONE, Market.B, BigDecimal.ONE, Market.C, BigDecimal.ONE),
                List.of(), policy), clock.instant());
        return id;
    }

    /** A new tenant in the directory with the given attributes (JSON object text). */
    String tenant(String attributesJson) {
        int n = SEQUENCE.incrementAndGet();
        String tenant = String.format("%08x-0000-4000-8000-%012d", Math.abs(prefix.hashCode()), n);
        jdbc.sql("insert into directory_customer (customer_key, display_name, country, attributes) values (?, ?, 'NL', ?::jsonb)")
                .params("TENANT:" + tenant, "Referral Customer " + n, attributesJson).update();
        jdbc.sql("insert into directory_domain (domain, tenant_id) values (?, ?::uuid)").params(domain(tenant), tenant)
                .update();
        return tenant;
    }

    /** The tenant's verified domain, where its contacts' mail lives. */
    static String domain(String tenant) {
        return "t" + tenant.substring(24) + "-" + tenant.substring(0, 8) + ".example";
    }

    String coSellTenant() {
        return tenant("{\"coSellEligible\": true, \"industry\": \"Retail\"}");
    }

    String plainTenant() {
        return tenant("{\"coSellEligible\": false, \"industry\": \"Retail\"}");
    }

    long nominate(String user, String location, String tenant, String engagementId) {
        HttpResponse<String> created = http.postJson(user, "/api/v1/claims", """
                {"origin":"ADD","friendlyName":"Referral test","locationId":"%s",
                 "identifier":{"type":"TENANT_ID","value":"%s"},"engagementIds":["%s"],
                 "customerContact":{"name":"Rene Customer","email":"rene@%s","language":"en"},
                 "partnerContact":{"name":"Pat Partner","email":"pat@partner.example","phone":"+31 20 555 0101"}}"""
                .formatted(location, tenant, engagementId, domain(tenant)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("claims").get(0).get("id").asLong();
    }

    HttpResponse<String> requestConsent(String user, long claim, String dealSize) {
        return http.postJson(user, "/api/v1/claims/" + claim + "/consent-request",
                "{\"estimatedDealSizeUsd\":" + dealSize + ",\"disclaimerAccepted\":true}");
    }

    /** Sends the consent email and returns the link's token. */
    String sendConsent(String user, long claim, String dealSize) {
        HttpResponse<String> sent = requestConsent(user, claim, dealSize);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        return latestToken(claim);
    }

    String latestToken(long claim) {
        String html = jdbc.sql("select body_html from outbox_email where claim_id = ? and kind = 'consent-request' order by id desc limit 1")
                .param(claim).query(String.class).single();
        Matcher m = LINK.matcher(html);
        assertThat(m.find()).as("the mail carries a consent link").isTrue();
        return m.group(1);
    }

    HttpResponse<String> answer(String token, String decision) {
        return http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"" + decision + "\"}");
    }

    void accept(String token) {
        HttpResponse<String> answered = answer(token, "ACCEPT");
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    }

    /** A claim of {@code user} at {@code location} whose consent email went out with the given deal size. */
    long consentRequested(String user, String location, String engagementId, String tenant, String dealSize) {
        long claim = nominate(user, location, tenant, engagementId);
        sendConsent(user, claim, dealSize);
        return claim;
    }

    /** The referral row of a claim, if it has one. */
    Optional<Map<String, Object>> referralOf(long claim) {
        return jdbc.sql("select * from referral where claim_id = ?").param(claim).query().listOfRows().stream().findFirst();
    }

    long referralIdOf(long claim) {
        return ((Number) referralOf(claim).orElseThrow().get("id")).longValue();
    }

    /** "STATUS/SUB_STATUS" and whether co-sell, e.g. "NEW/PENDING partner-led". */
    String stateOf(long claim) {
        return referralOf(claim).map(r -> r.get("status") + "/" + r.get("sub_status") + " "
                + (Boolean.TRUE.equals(r.get("co_sell")) ? "co-sell" : "partner-led")).orElse("none");
    }

    String claimStatus(long claim) {
        return jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
    }

    /** A page's text as a reader sees it: no tags, whitespace collapsed. */
    static String text(String html) {
        return html.replaceAll("<[^>]+>", " ").replace("&gt;", ">").replace("&lt;", "<").replace("&#39;", "'")
                .replace("&amp;", "&").replaceAll("\\s+", " ").replace(" :", ":");
    }

    List<String> historyOf(long claim) {
        return jdbc.sql("""
                        select h.action || ':' || coalesce(h.from_sub_status, '-') || '>' || h.to_sub_status
                        from referral_history h join referral r on r.id = h.referral_id where r.claim_id = ? order by h.id""")
                .param(claim).query(String.class).list();
    }
}
