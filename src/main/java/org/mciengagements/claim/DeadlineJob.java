package org.mciengagements.claim;

import static org.mciengagements.claim.ClaimStatus.AWAITING_CONSENT;
import static org.mciengagements.claim.ClaimStatus.CONSENT_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_RECEIVED;
import static org.mciengagements.claim.ClaimStatus.CUSTOMER_CLAIMED;
import static org.mciengagements.claim.ClaimStatus.DISPUTE_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.NOT_SUBMITTED_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.PARTNER_ACTION_REQUIRED;
import static org.mciengagements.claim.ClaimStatus.POST_SUBMISSION_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.REJECTED;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enforces the deadlines of SPEC §9 and §10. A claim still in a waiting status when its deadline
 * is due ({@code deadline <= now}) expires:
 * <ul>
 * <li>{@code CUSTOMER_CLAIMED} or {@code AWAITING_CONSENT} past the consent deadline →
 * {@code CONSENT_EXPIRED};</li>
 * <li>{@code CONSENT_RECEIVED} past the first-submission deadline → {@code NOT_SUBMITTED_EXPIRED};</li>
 * <li>{@code PARTNER_ACTION_REQUIRED} past the resubmission (action) deadline →
 * {@code POST_SUBMISSION_EXPIRED};</li>
 * <li>{@code REJECTED} past the dispute deadline → {@code DISPUTE_EXPIRED}.</li>
 * </ul>
 * Each expiry writes one history entry (system, action {@code EXPIRED}) and queues one mail to the
 * partner contact. Partners are reminded 7 days and 1 day before the consent, first-submission and
 * resubmission deadlines; the 7-day reminder only while more than a day is left, so a claim that
 * enters the window late gets the 1-day one alone. The review deadline binds reviewers and expires
 * nothing.
 *
 * <p>Idempotent and safe on every server at once: due claims are taken in batches with {@code FOR
 * UPDATE SKIP LOCKED} and moved by {@link ClaimLifecycle#expire}'s conditional update, so each
 * expiry happens once; every mail's outbox dedupe key makes it go out once.
 */
@Component
public class DeadlineJob {

    private static final Logger log = LoggerFactory.getLogger(DeadlineJob.class);
    private static final int BATCH = 500;

    /**
     * A deadline that ends a claim: claims in {@code from} whose {@code deadline} column is due
     * move to {@code to}, and the partner gets {@code template} (dedupe key {@code template:claimId},
     * as the claim can expire only once).
     */
    private record Expiry(Set<ClaimStatus> from, String deadline, ClaimStatus to, String template) {}

    private static final List<Expiry> EXPIRIES = List.of(
            new Expiry(EnumSet.of(CUSTOMER_CLAIMED, AWAITING_CONSENT), "consent_due_at", CONSENT_EXPIRED,
                    "consent-expired"),
            new Expiry(EnumSet.of(CONSENT_RECEIVED), "first_submission_due_at", NOT_SUBMITTED_EXPIRED,
                    "claim-not-submitted-expired"),
            new Expiry(EnumSet.of(PARTNER_ACTION_REQUIRED), "action_due_at", POST_SUBMISSION_EXPIRED,
                    "claim-post-submission-expired"),
            new Expiry(EnumSet.of(REJECTED), "dispute_due_at", DISPUTE_EXPIRED, "claim-dispute-expired"));

    /**
     * A deadline partners are reminded of while the claim is in {@code in}. The dedupe key is
     * {@code key-<days>:<claimId>}, plus the deadline itself when {@code perDeadline}: a claim gets
     * a new action deadline with every request of the reviewer, and each one is reminded of.
     */
    private record Reminder(Set<ClaimStatus> in, String deadline, String template, String key, boolean perDeadline) {

        /** The dedupe key as SQL over the claim {@code c}, so the query that finds reminders due and the mail agree. */
        String keySql(int days) {
            String key = "'" + key() + "-" + days + ":' || c.id";
            return perDeadline
                    ? key + " || ':' || to_char(c." + deadline + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
                    : key;
        }
    }

    private static final List<Reminder> REMINDERS = List.of(
            // Keys as they always were, so reminders queued before are not sent again.
            new Reminder(EnumSet.of(CUSTOMER_CLAIMED, AWAITING_CONSENT), "consent_due_at", "consent-deadline-reminder",
                    "consent-reminder", false),
            new Reminder(EnumSet.of(CONSENT_RECEIVED), "first_submission_due_at", "claim-submission-reminder",
                    "submission-reminder", true),
            new Reminder(EnumSet.of(PARTNER_ACTION_REQUIRED), "action_due_at", "claim-resubmission-reminder",
                    "resubmission-reminder", true));

    /** Days before a deadline that reminders go out, largest first; each covers the days down to the next. */
    private static final List<Integer> REMINDER_DAYS = List.of(7, 1);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ClaimLifecycle lifecycle;
    private final PartnerMails mails;
    private final ProgramClock clock;

    DeadlineJob(JdbcClient jdbc, TransactionTemplate transactions, ClaimLifecycle lifecycle, PartnerMails mails,
                ProgramClock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.lifecycle = lifecycle;
        this.mails = mails;
        this.clock = clock;
    }

    /** What one run did: claims expired, reminders queued, and rules that failed (logged, retried next run). */
    public record Result(int expired, int reminded, int failed) {}

    @Scheduled(fixedDelayString = "${mci.jobs.deadlines.interval:60s}", initialDelayString = "${mci.jobs.deadlines.initial-delay:30s}")
    void scheduled() {
        Result result = run();
        if (result.expired() + result.reminded() + result.failed() > 0) {
            log.info("Deadline job: {} expired, {} reminders, {} failed", result.expired(), result.reminded(), result.failed());
        }
    }

    public Result run() {
        Instant now = clock.instant();
        int expired = 0;
        int reminded = 0;
        int failed = 0;
        for (Expiry rule : EXPIRIES) {
            try {
                expired += expire(rule, now);
            } catch (RuntimeException e) {
                failed++;
                log.error("Expiring {} claims past {} failed", rule.from(), rule.deadline(), e);
            }
        }
        for (Reminder rule : REMINDERS) {
            for (int i = 0; i < REMINDER_DAYS.size(); i++) {
                int days = REMINDER_DAYS.get(i);
                int nextDays = i + 1 < REMINDER_DAYS.size() ? REMINDER_DAYS.get(i + 1) : 0;
                try {
                    reminded += remind(rule, days, nextDays, now);
                } catch (RuntimeException e) {
                    failed++;
                    log.error("Reminders {} days before {} failed", days, rule.deadline(), e);
                }
            }
        }
        return new Result(expired, reminded, failed);
    }

    /** A claim found due, with the deadline that made it due and (for reminders) the mail's dedupe key. */
    private record Due(long id, Instant deadline, String dedupeKey) {}

    /** How many claims one batch took and how many it acted on. */
    private record Batch(int taken, int done) {}

    private int expire(Expiry rule, Instant now) {
        int expired = 0;
        while (true) {
            Batch batch = transactions.execute(status -> expireBatch(rule, now));
            expired += batch.done();
            // A short batch means the rest is done or locked by another run, which expires it.
            if (batch.taken() < BATCH || batch.done() == 0) {
                return expired;
            }
        }
    }

    private Batch expireBatch(Expiry rule, Instant now) {
        List<Due> due = jdbc.sql("""
                        select c.id, c.%1$s, null from claim c where c.status in %2$s and c.%1$s <= ?
                        order by c.%1$s, c.id limit ? for update skip locked"""
                        .formatted(rule.deadline(), ClaimStatus.sqlList(rule.from())))
                .params(Timestamp.from(now), BATCH).query(DeadlineJob::due).list();
        // Locked by the select above until this transaction ends; moved together, mailed together.
        Map<Long, Instant> deadlines = new java.util.HashMap<>();
        due.forEach(found -> deadlines.put(found.id(), found.deadline()));
        List<ClaimRef> moved = lifecycle.expireAll(lifecycle.readAll(deadlines.keySet()), rule.to(), now);
        mails.sendAll(moved, rule.template(), claim -> rule.template() + ":" + claim.id(),
                claim -> deadlines.get(claim.id()), now);
        return new Batch(due.size(), moved.size());
    }

    /** Reminds of deadlines due in more than {@code nextDays} and at most {@code days} days. */
    private int remind(Reminder rule, int days, int nextDays, Instant now) {
        int sent = 0;
        while (true) {
            Batch batch = transactions.execute(status -> remindBatch(rule, days, nextDays, now));
            sent += batch.done();
            if (batch.taken() < BATCH) {
                return sent;
            }
        }
    }

    private Batch remindBatch(Reminder rule, int days, int nextDays, Instant now) {
        String key = rule.keySql(days);
        List<Due> due = jdbc.sql("""
                        select c.id, c.%1$s, %3$s from claim c
                        where c.status in %2$s and c.%1$s > ? and c.%1$s <= ?
                          and not exists (select 1 from outbox_email o where o.dedupe_key = %3$s)
                        order by c.%1$s, c.id limit ? for update skip locked"""
                        .formatted(rule.deadline(), ClaimStatus.sqlList(rule.in()), key))
                .params(Timestamp.from(now.plus(Duration.ofDays(nextDays))), Timestamp.from(now.plus(Duration.ofDays(days))),
                        BATCH)
                .query(DeadlineJob::due).list();
        for (Due found : due) {
            mails.send(lifecycle.read(found.id()), rule.template(), found.dedupeKey(), found.deadline(), Map.of(), now);
        }
        return new Batch(due.size(), due.size());
    }

    private static Due due(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Due(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3));
    }
}
