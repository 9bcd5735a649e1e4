package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Referrals under racing requests on one claim, through HTTP on PostgreSQL: whatever order the
 * database picks, the referral ends in the state the claim's final state calls for, with a history
 * that tells that order — never an open referral on a closed claim, never two decisions taken from
 * the same state.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.test.isolated-context=referral-race")
@DirtiesContext
class ReferralRaceTest {

    static final int CLAIMS = 8;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    Http http;
    ReferralFixture fixture;
    String engagement;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        fixture = new ReferralFixture(http, jdbc, catalog, clock, "referral-race");
        engagement = fixture.engagement(ReferralFixture.DEMO_POLICY);
    }

    @Test
    void theCustomerAcceptingWhileThePartnerCancelsLeavesTheReferralClosedWithTheClaim() throws Exception {
        List<Long> claims = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CLAIMS; i++) {
            long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
            tokens.add(fixture.sendConsent("anna", claim, "25000"));
            claims.add(claim);
        }
        List<int[]> codes = race(i -> List.of(
                () -> fixture.answer(tokens.get(i), "ACCEPT").statusCode(),
                () -> http.postJson("anna", "/api/v1/claims/" + claims.get(i) + "/cancellation",
                        "{\"reason\":\"Changed our minds.\"}").statusCode()));
        for (int i = 0; i < CLAIMS; i++) {
            long claim = claims.get(i);
            int consent = codes.get(i)[0];
            assertThat(consent).as("the consent answer").isIn(200, 410);
            assertThat(codes.get(i)[1]).as("canceling is allowed before and after consent").isEqualTo(200);
            assertThat(fixture.claimStatus(claim)).isEqualTo("CANCELED");
            boolean consentedFirst = consent == 200;
            assertThat(fixture.stateOf(claim)).isEqualTo("CLOSED/EXPIRED " + (consentedFirst ? "co-sell" : "partner-led"));
            assertThat(fixture.historyOf(claim)).isEqualTo(consentedFirst
                    ? List.of("CREATED:->PENDING", "CO_SELL:PENDING>PENDING", "EXPIRED:PENDING>EXPIRED")
                    : List.of("CREATED:->PENDING", "EXPIRED:PENDING>EXPIRED"));
        }
    }

    @Test
    void aDecisionRacingTheClaimsCancellationNeverLeavesTheReferralOpen() throws Exception {
        List<Long> claims = new ArrayList<>();
        for (int i = 0; i < CLAIMS; i++) {
            claims.add(fixture.consentRequested("anna", "4100231", engagement, fixture.plainTenant(), "25000"));
        }
        List<Long> referrals = claims.stream().map(fixture::referralIdOf).toList();
        List<int[]> codes = race(i -> List.of(
                () -> http.postJson("ruth", "/api/v1/referrals/" + referrals.get(i) + "/decisions",
                        "{\"decision\":\"ACCEPT\"}").statusCode(),
                () -> http.postJson("anna", "/api/v1/claims/" + claims.get(i) + "/cancellation",
                        "{\"reason\":\"Changed our minds.\"}").statusCode()));
        for (int i = 0; i < CLAIMS; i++) {
            long claim = claims.get(i);
            int accept = codes.get(i)[0];
            assertThat(accept).as("the decision").isIn(200, 409);
            assertThat(fixture.claimStatus(claim)).isEqualTo("CANCELED");
            assertThat(fixture.stateOf(claim)).isEqualTo("CLOSED/EXPIRED partner-led");
            assertThat(fixture.historyOf(claim)).isEqualTo(accept == 200
                    ? List.of("CREATED:->PENDING", "ACCEPT:PENDING>ACCEPTED", "EXPIRED:ACCEPTED>EXPIRED")
                    : List.of("CREATED:->PENDING", "EXPIRED:PENDING>EXPIRED"));
        }
    }

    @Test
    void theSellerAcceptingWhileTheAdministratorDeclinesTakesExactlyOneDecision() throws Exception {
        List<Long> referrals = new ArrayList<>();
        List<Long> claims = new ArrayList<>();
        for (int i = 0; i < CLAIMS; i++) {
            long claim = fixture.nominate("anna", "4100231", fixture.coSellTenant(), engagement);
            fixture.accept(fixture.sendConsent("anna", claim, "25000"));
            claims.add(claim);
            referrals.add(fixture.referralIdOf(claim));
        }
        List<int[]> codes = race(i -> List.of(
                () -> http.postJson("sam", "/api/v1/referrals/" + referrals.get(i) + "/decisions",
                        "{\"decision\":\"ACCEPT\"}").statusCode(),
                () -> http.postJson("ruth", "/api/v1/referrals/" + referrals.get(i) + "/decisions",
                        "{\"decision\":\"DECLINE\"}").statusCode()));
        for (int i = 0; i < CLAIMS; i++) {
            int[] answer = codes.get(i);
            assertThat(List.of(answer[0], answer[1])).as("one wins").containsExactlyInAnyOrder(200, 409);
            boolean sellerWon = answer[0] == 200;
            assertThat(fixture.stateOf(claims.get(i)))
                    .isEqualTo(sellerWon ? "ACTIVE/ACCEPTED co-sell" : "CLOSED/DECLINED co-sell");
            assertThat(fixture.historyOf(claims.get(i))).hasSize(3).last()
                    .isEqualTo(sellerWon ? "ACCEPT:PENDING>ACCEPTED" : "DECLINE:PENDING>DECLINED");
        }
    }

    interface Pair {
        List<Callable<Integer>> of(int index);
    }

    /** Runs the two calls of every claim at the same moment; returns each pair's status codes. */
    private List<int[]> race(Pair pairs) throws Exception {
        CyclicBarrier start = new CyclicBarrier(CLAIMS * 2);
        ExecutorService pool = Executors.newFixedThreadPool(CLAIMS * 2);
        try {
            List<Future<Integer>[]> futures = new ArrayList<>();
            for (int i = 0; i < CLAIMS; i++) {
                List<Callable<Integer>> calls = pairs.of(i);
                @SuppressWarnings("unchecked")
                Future<Integer>[] pair = new Future[2];
                for (int c = 0; c < 2; c++) {
                    Callable<Integer> call = calls.get(c);
                    pair[c] = pool.submit(() -> {
                        start.await(30, TimeUnit.SECONDS);
                        return call.call();
                    });
                }
                futures.add(pair);
            }
            List<int[]> codes = new ArrayList<>();
            for (Future<Integer>[] pair : futures) {
                codes.add(new int[] {pair[0].get(60, TimeUnit.SECONDS), pair[1].get(60, TimeUnit.SECONDS)});
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }
}
