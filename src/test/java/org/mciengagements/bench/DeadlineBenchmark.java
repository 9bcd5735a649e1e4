package org.mciengagements.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.DeadlineJob;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The deadline job expiring 100,000 overdue claims in one run, each with its history entry and its
 * partner mail in the outbox, in a database of its own (the demo program plus the overdue claims).
 * Writes its section of {@code docs/benchmarks.md}. Run with the server's heap limit:
 * {@code mvn -B -o test -Dtest=DeadlineBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx512m}.
 */
@SpringBootTest(properties = {"mci.test.isolated-context=deadline-benchmark", "mci.jobs.deadlines.initial-delay=24h",
        "mci.mail.send-interval=24h"})
@DirtiesContext
class DeadlineBenchmark {

    static final String SECTION = "Deadline job: 100,000 expiries";
    static final int OVERDUE = Integer.getInteger("mci.bench.overdue", 100_000);

    @Autowired JdbcClient jdbc;
    @Autowired DeadlineJob job;
    @Autowired ProgramClock clock;

    @Test
    void expiresAHundredThousandOverdueClaimsWithHistoryAndMail() throws Exception {
        Instant now = clock.instant();
        long firstId = jdbc.sql("select coalesce(max(id), 100000) + 1 from claim").query(Long.class).single();
        insertOverdueClaims(now);
        long historyBefore = jdbc.sql("select count(*) from claim_history").query(Long.class).single();
        long outboxBefore = jdbc.sql("select count(*) from outbox_email").query(Long.class).single();

        AtomicLong maxHeap = new AtomicLong();
        var sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> maxHeap.accumulateAndGet(heapUsed(), Math::max), 0, 100,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        long started = System.nanoTime();
        DeadlineJob.Result result = job.run();
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.shutdownNow();

        long expired = jdbc.sql("select count(*) from claim where id >= ? and status_reason = 'DEADLINE_PASSED'")
                .param(firstId).query(Long.class).single();
        long history = jdbc.sql("select count(*) from claim_history").query(Long.class).single() - historyBefore;
        long mails = jdbc.sql("select count(*) from outbox_email").query(Long.class).single() - outboxBefore;
        long heapMb = maxHeap.get() / (1024 * 1024);
        long maxHeapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        String postgres = jdbc.sql("select version()").query(String.class).single().replaceAll(" on .*", "");

        StringBuilder md = new StringBuilder();
        md.append("Command: `mvn -B -o test -Dtest=DeadlineBenchmark -Dsurefire.failIfNoSpecifiedTests=false -DargLine=-Xmx512m`.\n\n");
        md.append("Machine: ").append(BenchmarkReport.machine(postgres)).append(".\n\n");
        md.append(String.format(Locale.ROOT, """
                %,d overdue claims (60%% awaiting consent, 25%% consent received, 10%% partner action required, 5%% \
                rejected, all past their deadline) beside the demo program; one `DeadlineJob.run()`, batches of 500 \
                with `FOR UPDATE SKIP LOCKED`, each expiry a conditional update, a history entry, the `ClaimClosed` \
                event and a rendered partner mail in the outbox, in the batch's transaction.

                | figure | value |
                |---|---|
                | claims expired | %,d (job reported %,d, %d failed rules) |
                | history entries written | %,d |
                | mails queued | %,d |
                | time | %.1f s (%.0f expiries/s) |
                | heap used, highest sample (every 100 ms) | %d MB of %d MB |

                Target: 100,000 expiries ≤ 30 s — measured %.1f s: %s.
                """, OVERDUE, expired, result.expired(), result.failed(), history, mails, seconds, expired / seconds,
                heapMb, maxHeapMb, seconds, seconds <= 30 ? "met" : "**not met**"));
        BenchmarkReport.replaceSection(SECTION, md.toString());

        assertThat(expired).isEqualTo(OVERDUE);
        assertThat(history).isEqualTo(OVERDUE);
        assertThat(mails).isEqualTo(OVERDUE);
    }

    /** Overdue claims of Contoso at its Amsterdam location, one customer key each, with their creation in history. */
    private void insertOverdueClaims(Instant now) {
        jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            consent_requested_at, consent_received_at, first_submission_due_at, review_due_at, action_due_at,
                            rejected_at, dispute_due_at, estimated_deal_size_usd, customer_contact_name,
                            customer_contact_email, customer_contact_language, partner_contact_name, partner_contact_email,
                            updated_at, payout_market, proposed_payout_usd)
                        select 'security-assessment', 'contoso', '4100231', 'ADD', 'Overdue ' || i, 'TENANT_ID', t, 'TENANT:' || t,
                               'Overdue Customer ' || i, s.status, c, 'anna', c + interval '30 days',
                               case when s.status <> 'CUSTOMER_CLAIMED' then c + interval '1 day' end,
                               case when s.status in ('CONSENT_RECEIVED', 'PARTNER_ACTION_REQUIRED', 'REJECTED') then c + interval '3 days' end,
                               case when s.status in ('CONSENT_RECEIVED', 'PARTNER_ACTION_REQUIRED', 'REJECTED') then c + interval '63 days' end,
                               case when s.status in ('CONSENT_RECEIVED', 'PARTNER_ACTION_REQUIRED', 'REJECTED') then c + interval '93 days' end,
                               case when s.status = 'PARTNER_ACTION_REQUIRED' then cast(:now as timestamptz) - interval '1 hour' * (1 + i % 48) end,
                               case when s.status = 'REJECTED' then cast(:now as timestamptz) - interval '31 days' end,
                               case when s.status = 'REJECTED' then cast(:now as timestamptz) - interval '1 hour' * (1 + i % 48) end,
                               case when s.status <> 'CUSTOMER_CLAIMED' then 25000 end,
                               'Customer Contact', 'contact' || i || '@overdue.example', 'en', 'Anna de Vries',
                               'anna.devries@contoso-consulting.example', c, 'A', 3000
                        from generate_series(1, :count) i
                        cross join lateral (select md5('overdue-' || i)::uuid::text as t) k
                        cross join lateral (select case when i % 20 < 6 then 'CUSTOMER_CLAIMED'
                                                        when i % 20 < 12 then 'AWAITING_CONSENT'
                                                        when i % 20 < 17 then 'CONSENT_RECEIVED'
                                                        when i % 20 < 19 then 'PARTNER_ACTION_REQUIRED'
                                                        else 'REJECTED' end as status) s
                        cross join lateral (select case when s.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')
                                                        then cast(:now as timestamptz) - interval '30 days' - interval '1 minute' * (1 + i % 2880)
                                                        else cast(:now as timestamptz) - interval '63 days' - interval '1 minute' * (1 + i % 2880) end as c) tm""")
                .param("now", Timestamp.from(now)).param("count", OVERDUE).update();
        jdbc.sql("""
                        insert into claim_history (claim_id, at, actor_type, actor, action, from_status, to_status)
                        select id, created_at, 'PARTNER_USER', 'anna', 'CUSTOMER_ADDED', null, 'CUSTOMER_CLAIMED'
                        from claim where friendly_name like 'Overdue %'""").update();
        jdbc.sql("analyze claim").update();
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
