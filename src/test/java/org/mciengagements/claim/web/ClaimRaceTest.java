package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ProofFiles;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.mciengagements.support.Multipart;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Requests that race on one claim: exactly one moves it, the others are refused, and the claim
 * has one history entry, one submission and one mail for the move — never two.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=claim-races", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ClaimRaceTest {

    static final int RACERS = 8;

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;

    @Test
    void partnerUsersSubmittingTheSameClaimAtOnceSubmitItOnce() throws Exception {
        Http http = new Http(port);
        long claim = demoClaim("contoso", "CONSENT_RECEIVED");
        String today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        List<Integer> statuses = race(i -> http.send("anna", new Multipart()
                .field("executionDate", today).file("files", "proof-" + i + ".pdf", "application/pdf", ProofFiles.pdf())
                .post(http, "/api/v1/claims/" + claim + "/submissions")));
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        assertThat(count("claim_submission", claim)).isEqualTo(1);
        assertThat(count("claim_document", claim)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and to_status = 'SUBMITTED'")
                .param(claim).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void reviewersDecidingTheSameClaimAtOnceDecideItOnce() throws Exception {
        Http http = new Http(port);
        long claim = demoClaim("fabrikam", "UNDER_REVIEW");
        List<Integer> statuses = race(i -> http.postJson("rita", "/api/v1/review/claims/" + claim + "/decisions",
                i % 2 == 0 ? "{\"decision\":\"APPROVE\"}" : "{\"decision\":\"REJECT\",\"comment\":\"No proof\"}"));
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(statuses.stream().filter(s -> s == 409).count()).isEqualTo(RACERS - 1);
        String status = jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
        assertThat(status).isIn("APPROVED", "REJECTED");
        assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and from_status = 'UNDER_REVIEW'")
                .param(claim).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from outbox_email where claim_id = ? and kind in ('claim-approved', 'claim-rejected')")
                .param(claim).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void payoutsRecordedAtOnceCompleteTheClaimOnce() throws Exception {
        Http http = new Http(port);
        long claim = demoClaim("contoso", "APPROVED");
        String amount = jdbc.sql("select approved_payout_usd::text from claim where id = ?").param(claim).query(String.class).single();
        String today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        List<Integer> statuses = race(i -> http.postJson("rita", "/api/v1/review/claims/" + claim + "/payouts",
                "{\"amountUsd\":%s,\"paidOn\":\"%s\",\"reference\":\"PAY-%d\"}".formatted(amount, today, i)));
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from outbox_email where claim_id = ? and kind = 'claim-paid'")
                .param(claim).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and to_status = 'COMPLETED'")
                .param(claim).query(Long.class).single()).isEqualTo(1);
    }

    private interface Request {
        HttpResponse<String> send(int racer);
    }

    private static List<Integer> race(Request request) throws Exception {
        CyclicBarrier start = new CyclicBarrier(RACERS);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int racer = i;
                Callable<Integer> call = () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return request.send(racer).statusCode();
                };
                results.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get(60, TimeUnit.SECONDS));
            }
            return statuses;
        } finally {
            pool.shutdown();
        }
    }

    /** A demo claim of the partner in the status. */
    private long demoClaim(String partner, String status) {
        return jdbc.sql("select id from claim where partner_id = ? and status = ? order by id limit 1")
                .params(partner, status).query(Long.class).single();
    }

    private long count(String table, long claim) {
        return jdbc.sql("select count(*) from " + table + " where claim_id = ?").param(claim).query(Long.class).single();
    }
}
