package org.mciengagements.claim;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.notification.Email;
import org.mciengagements.notification.Outbox;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enforces consent deadlines: claims still waiting for consent when their deadline passes become
 * {@code CONSENT_EXPIRED}, and partners are reminded 7 days and 1 day before. Idempotent and safe
 * on every server at once: due claims are taken in batches with {@code FOR UPDATE SKIP LOCKED} and
 * moved with a conditional update; a reminder's outbox dedupe key makes it go out once.
 */
@Component
public class DeadlineJob {

    private static final Logger log = LoggerFactory.getLogger(DeadlineJob.class);
    private static final int BATCH = 500;
    private static final String WAITING = "('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final EngagementCatalog catalog;
    private final ProgramClock clock;
    private final org.mciengagements.security.UserAccounts accounts;

    DeadlineJob(JdbcClient jdbc, TransactionTemplate transactions, Outbox outbox, EngagementCatalog catalog,
                ProgramClock clock, org.mciengagements.security.UserAccounts accounts) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.catalog = catalog;
        this.clock = clock;
        this.accounts = accounts;
    }

    /** What one run did. */
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
        int failed = 0;
        while (true) {
            Integer batch = transactions.execute(status -> expireBatch(now));
            if (batch == null || batch == 0) {
                break;
            }
            expired += batch;
        }
        int reminded = 0;
        for (int days : List.of(7, 1)) {
            try {
                Integer sent = transactions.execute(status -> remind(days, now));
                reminded += sent == null ? 0 : sent;
            } catch (RuntimeException e) {
                failed++;
                log.error("Consent reminders ({} days) failed", days, e);
            }
        }
        return new Result(expired, reminded, failed);
    }

    private int expireBatch(Instant now) {
        List<Due> due = jdbc.sql("""
                        select id, engagement_id, created_by, friendly_name, customer_name, partner_contact_name,
                               partner_contact_email, consent_due_at
                        from claim where status in %s and consent_due_at <= ?
                        order by consent_due_at limit ? for update skip locked""".formatted(WAITING))
                .params(Timestamp.from(now), BATCH).query(DeadlineJob::due).list();
        int moved = 0;
        for (Due claim : due) {
            String from = jdbc.sql("select status from claim where id = ?").param(claim.id()).query(String.class).single();
            int updated = jdbc.sql("""
                            update claim set status = 'CONSENT_EXPIRED', status_reason = 'DEADLINE_PASSED', updated_at = ?,
                                version = version + 1
                            where id = ? and status in %s""".formatted(WAITING))
                    .params(Timestamp.from(now), claim.id()).update();
            if (updated == 0) {
                continue;
            }
            ClaimHistory.append(jdbc, claim.id(), now, "SYSTEM", "system", "CONSENT_EXPIRED", ClaimStatus.valueOf(from),
                    ClaimStatus.CONSENT_EXPIRED, null);
            outbox.enqueue(mail(claim, "consent-expired", "consent-expired:" + claim.id()), now);
            moved++;
        }
        return moved;
    }

    private int remind(int days, Instant now) {
        Instant until = now.plus(Duration.ofDays(days));
        Instant notBefore = days == 7 ? now.plus(Duration.ofDays(1)) : now;
        List<Due> due = jdbc.sql("""
                        select id, engagement_id, created_by, friendly_name, customer_name, partner_contact_name,
                               partner_contact_email, consent_due_at
                        from claim c where status in %s and consent_due_at > ? and consent_due_at <= ?
                          and not exists (select 1 from outbox_email o where o.dedupe_key = 'consent-reminder-%d:' || c.id)
                        order by consent_due_at limit ? for update skip locked""".formatted(WAITING, days))
                .params(Timestamp.from(notBefore), Timestamp.from(until), BATCH).query(DeadlineJob::due).list();
        for (Due claim : due) {
            outbox.enqueue(mail(claim, "consent-deadline-reminder", "consent-reminder-" + days + ":" + claim.id()), now);
        }
        return due.size();
    }

    private record Due(long id, String engagementId, String createdBy, String friendlyName, String customerName,
                       String partnerContactName, String partnerContactEmail, Instant consentDueAt) {}

    private static Due due(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant());
    }

    private Email mail(Due claim, String template, String dedupeKey) {
        String language = accounts.currentUser(claim.createdBy()).map(u -> u.language()).orElse("en");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("friendlyName", claim.friendlyName());
        model.put("customerName", claim.customerName());
        model.put("engagementName", catalog.find(claim.engagementId()).map(Engagement::name).orElse(claim.engagementId()));
        model.put("claimId", String.valueOf(claim.id()));
        model.put("contactName", claim.partnerContactName());
        model.put("deadline", org.mciengagements.notification.MailDates.dateTime(claim.consentDueAt(), language));
        return new Email(dedupeKey, claim.id(), template, claim.partnerContactEmail(), language, model);
    }
}
