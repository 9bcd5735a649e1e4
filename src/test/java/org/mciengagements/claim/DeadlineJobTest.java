package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The deadline job is scheduled and fires on its own, does each expiry exactly once when many
 * runs race (as on several servers), and the demo's clock and job endpoints do not exist unless
 * the clock is adjustable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mci.test.isolated-context=deadline-job", "mci.clock.adjustable=false",
        "mci.jobs.deadlines.interval=200ms", "mci.jobs.deadlines.initial-delay=0s"})
@DirtiesContext
class DeadlineJobTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    DeadlineJob job;
    @LocalServerPort
    int port;

    @Test
    void theScheduledJobExpiresOverdueClaimsOnItsOwn() {
        long claim = overdue("Northwind Traders");
        await().atMost(Duration.ofSeconds(20)).until(() -> status(claim).equals("CONSENT_EXPIRED"));
        assertThat(jdbc.sql("select count(*) from outbox_email where dedupe_key = ?").param("consent-expired:" + claim)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void racingRunsExpireEachClaimOnceWithOneHistoryEntryAndOneMail() throws Exception {
        List<Long> claims = jdbc.sql("select id from claim where status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')")
                .query(Long.class).list();
        assertThat(claims).hasSizeGreaterThan(3);
        jdbc.sql("update claim set consent_due_at = now() - interval '1 hour' where id = any(?)")
                .param(claims.toArray(Long[]::new)).update();
        int runners = 8;
        CyclicBarrier start = new CyclicBarrier(runners);
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        List<Future<DeadlineJob.Result>> results = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            results.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return job.run();
            }));
        }
        int expired = 0;
        for (Future<DeadlineJob.Result> result : results) {
            expired += result.get(60, TimeUnit.SECONDS).expired();
        }
        pool.shutdown();
        await().atMost(Duration.ofSeconds(20)).until(() -> claims.stream().allMatch(c -> status(c).equals("CONSENT_EXPIRED")));
        assertThat(expired).as("expiries reported by the racing runs").isLessThanOrEqualTo(claims.size());
        for (long claim : claims) {
            assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and to_status = 'CONSENT_EXPIRED'")
                    .param(claim).query(Long.class).single()).as("history of %d", claim).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from outbox_email where dedupe_key = ?").param("consent-expired:" + claim)
                    .query(Long.class).single()).as("mails of %d", claim).isEqualTo(1);
        }
    }

    @Test
    void theClockAndJobEndpointsDoNotExistUnlessTheClockIsAdjustable() {
        Http http = new Http(port);
        assertThat(http.postJson("oscar", "/api/v1/admin/clock", "{\"advance\":\"P31D\"}").statusCode()).isEqualTo(404);
        assertThat(http.postJson("oscar", "/api/v1/admin/jobs/deadlines", "{}").statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("select offset_ms from program_clock").query(Long.class).single()).isZero();
    }

    private long overdue(String customer) {
        long claim = jdbc.sql("select id from claim where customer_name = ? and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')")
                .param(customer).query(Long.class).single();
        jdbc.sql("update claim set consent_due_at = now() - interval '1 minute' where id = ?").param(claim).update();
        return claim;
    }

    private String status(long claim) {
        return jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
    }
}
