package org.mciengagements.notification;

import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.mciengagements.notification.MailDelivery.OutgoingMail;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers due outbox rows, on every server at once. Each row is taken with {@code FOR UPDATE SKIP
 * LOCKED} in a transaction of its own, delivered, and marked sent in that same transaction: two
 * senders never take the same row, and a crash between handing the mail over and the commit can
 * repeat at most that one mail, under the same {@code Message-ID}. A failed delivery keeps the
 * row and retries it with exponential backoff, for as long as it takes: mail is never dropped.
 */
@Component
public class OutboxSender {

    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_WAIT = Duration.ofHours(1);
    /** From this many failed attempts on, every further failure is logged as an error. */
    static final int ALARM_AFTER_ATTEMPTS = 20;
    /** At most this many mails per run, so one run never holds a server for long. */
    static final int BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final MailDelivery delivery;
    private final ProgramClock clock;

    OutboxSender(JdbcClient jdbc, TransactionTemplate transactions, MailDelivery delivery, ProgramClock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.delivery = delivery;
        this.clock = clock;
    }

    /** What one run did: mails delivered and attempts that failed (and were rescheduled). */
    public record Result(int sent, int failed) {}

    // The first run waits one interval too, so a test can set a long interval and drive the sender alone.
    @Scheduled(fixedDelayString = "${mci.mail.send-interval:2s}", initialDelayString = "${mci.mail.send-interval:2s}")
    void sendScheduled() {
        Result result = sendDue();
        if (result.sent() > 0 || result.failed() > 0) {
            log.info("Outbox: {} sent, {} failed", result.sent(), result.failed());
        }
    }

    /** Delivers up to {@value #BATCH} due mails, each in its own transaction. */
    public Result sendDue() {
        if (!delivery.available()) {
            return new Result(0, 0);
        }
        int sent = 0;
        int failed = 0;
        for (int i = 0; i < BATCH; i++) {
            Outcome outcome = transactions.execute(status -> sendNext());
            if (outcome == Outcome.NOTHING_DUE) {
                break;
            }
            if (outcome == Outcome.SENT) {
                sent++;
            } else {
                failed++;
            }
        }
        return new Result(sent, failed);
    }

    private enum Outcome { SENT, FAILED, NOTHING_DUE }

    private Outcome sendNext() {
        Instant now = clock.instant();
        Optional<Row> due = jdbc.sql("""
                        select id, dedupe_key, to_address, subject, body_text, body_html, attempts from outbox_email
                        where sent_at is null and next_attempt_at <= ? order by id limit 1 for update skip locked""")
                .param(Timestamp.from(now))
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getString("dedupe_key"), rs.getString("to_address"),
                        rs.getString("subject"), rs.getString("body_text"), rs.getString("body_html"),
                        rs.getInt("attempts")))
                .optional();
        if (due.isEmpty()) {
            return Outcome.NOTHING_DUE;
        }
        Row row = due.get();
        try {
            delivery.deliver(new OutgoingMail(messageId(row.dedupeKey()), row.to(), row.subject(), row.text(),
                    row.html()));
        } catch (MessagingException | RuntimeException e) {
            reschedule(row, e, now);
            return Outcome.FAILED;
        }
        jdbc.sql("update outbox_email set sent_at = ?, last_error = null where id = ? and sent_at is null")
                .params(Timestamp.from(now), row.id())
                .update();
        return Outcome.SENT;
    }

    private void reschedule(Row row, Exception e, Instant now) {
        int attempts = row.attempts() + 1;
        Instant next = now.plus(backoff(attempts));
        String error = describe(e);
        jdbc.sql("""
                        update outbox_email set attempts = ?, last_error = ?, next_attempt_at = ?
                        where id = ? and sent_at is null""")
                .params(attempts, error, Timestamp.from(next), row.id())
                .update();
        if (attempts >= ALARM_AFTER_ATTEMPTS) {
            log.error("Email {} ({}) still not delivered after {} attempts; retrying at {}: {}", row.id(),
                    row.dedupeKey(), attempts, next, error);
        } else {
            log.warn("Email {} ({}) not delivered (attempt {}); retrying at {}: {}", row.id(), row.dedupeKey(),
                    attempts, next, error);
        }
    }

    /** The wait after the given number of failed attempts: 30 s, 1 min, 2 min, … at most 1 h. */
    static Duration backoff(int failedAttempts) {
        int doublings = Math.max(0, failedAttempts - 1);
        // 30 s × 2^7 already exceeds the cap; stopping there also keeps the shift from overflowing.
        if (doublings >= 7) {
            return LONGEST_WAIT;
        }
        Duration wait = FIRST_RETRY.multipliedBy(1L << doublings);
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    /**
     * The same for every attempt at one dedupe key, so receivers can recognise a repeat. Hashed
     * because a dedupe key may hold characters a Message-ID may not.
     */
    static String messageId(String dedupeKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dedupeKey.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash) + "@mci-engagements>";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static String describe(Exception e) {
        String outer = e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable root = NestedExceptionUtils.getRootCause(e);
        String text = root == null || root == e ? outer : outer + " (caused by " + root + ")";
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }

    private record Row(long id, String dedupeKey, String to, String subject, String text, String html, int attempts) {}
}
