package org.mciengagements.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The steps tests take to bring a claim to life through the real API: an engagement of their own,
 * a fresh customer in the directory, the nomination, the consent email and the customer's link.
 * Each customer's contact writes from the tenant's verified domain, so no mismatch reason is asked.
 */
public record ClaimJourney(Http http, JdbcClient jdbc) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LINK = Pattern.compile("/consent/([A-Za-z0-9_-]{43})");
    private static final AtomicInteger TENANTS = new AtomicInteger();

    /** A FIXED tenant-ID workshop with the type's default deadlines, claimable for 400 days either side of now. */
    public static void saveWorkshop(EngagementCatalog catalog, String id, int maxActiveClaims, BigDecimal payout,
                                    Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        catalog.save(new Engagement(id, "Workshop " + id, "A workshop for tests", "Tests", EngagementType.WORKSHOP,
                today.minusDays(400), today.plusDays(400), PaymentModel.FIXED, EnumSet.of(IdentifierType.TENANT_ID),
                Set.of(), Set.of(), maxActiveClaims, EngagementType.WORKSHOP.defaultDeadlines(), List.of(),
                Map.of(Market.A, payout, Market.B, payout, Market.C, payout), List.of(), ReferralPolicy.off()), now);
    }

    /** A new Dutch tenant in the directory with one verified domain; returns the tenant ID. */
    public String newTenant(String displayName) {
        String tenant = String.format("22222222-0000-4000-8000-%012d", TENANTS.incrementAndGet());
        jdbc.sql("insert into directory_customer (customer_key, display_name, country) values (?, ?, 'NL')")
                .params("TENANT:" + tenant, displayName + " " + tenant.substring(30)).update();
        jdbc.sql("insert into directory_domain (domain, tenant_id) values (?, ?::uuid)")
                .params(domain(tenant), tenant).update();
        return tenant;
    }

    /** Adds the tenant as a customer for the engagement; the customer contact speaks {@code language}. */
    public long nominate(String user, String location, String engagementId, String tenant, String language) {
        HttpResponse<String> created = http.postJson(user, "/api/v1/claims",
                nominationBody(location, engagementId, tenant, language));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("claims").get(0).get("id").asLong();
    }

    /** The body of {@code POST /api/v1/claims} that adds the tenant for the engagement, a valid one. */
    public static String nominationBody(String location, String engagementId, String tenant, String language) {
        return """
                {"origin":"ADD","friendlyName":"Journey claim","locationId":"%s",
                 "identifier":{"type":"TENANT_ID","value":"%s"},"engagementIds":["%s"],
                 "customerContact":{"name":"Cleo Customer","email":"cleo@%s","language":"%s"},
                 "partnerContact":{"name":"Pat Partner","email":"pat@partner.example"}}"""
                .formatted(location, tenant, engagementId, domain(tenant), language);
    }

    /** Sends the consent email with a deal size of 12,000; returns the token of the link it carries. */
    public String sendConsent(String user, long claim) {
        HttpResponse<String> sent = http.postJson(user, "/api/v1/claims/" + claim + "/consent-request",
                "{\"estimatedDealSizeUsd\":12000,\"disclaimerAccepted\":true}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
        return latestToken(claim);
    }

    /** The customer accepts through the link. */
    public void accept(String token) {
        HttpResponse<String> accepted = http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"ACCEPT\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    }

    /** The token of the newest consent email of the claim. */
    public String latestToken(long claim) {
        String html = jdbc.sql("""
                        select body_html from outbox_email where claim_id = ? and kind = 'consent-request'
                        order by id desc limit 1""")
                .param(claim).query(String.class).single();
        Matcher m = LINK.matcher(html);
        assertThat(m.find()).as("the mail carries a consent link").isTrue();
        return m.group(1);
    }

    private static String domain(String tenant) {
        return "t" + tenant.substring(24) + ".example";
    }
}
