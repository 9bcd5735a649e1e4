package org.mciengagements.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.ProgramClockOffsets;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SPEC §9: every email is delivered by a background sender with retries, never lost when the mail
 * server is down and never sent twice for one state change. Against a real SMTP server (GreenMail)
 * on a port that stays the same when the server is stopped and started again. Runs on its own
 * database because it queues mail and moves the clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mci.test.isolated-context=outbox-sender", "mci.mail.dev-mailbox=false", "spring.mail.host=127.0.0.1",
        // The scheduled run would race the test's own calls; this test drives the sender alone.
        "mci.mail.send-interval=1h", TestMails.MESSAGES})
@DirtiesContext
class OutboxSenderTest {

    static final int SMTP_PORT = TestMails.freePort();

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

    @DynamicPropertySource
    static void smtpPort(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @Autowired
    OutboxSender sender;
    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    @Autowired
    ProgramClockOffsets clockOffsets;
    @LocalServerPort
    int port;

    @BeforeEach
    void emptyOutbox() {
        jdbc.sql("delete from outbox_email").update();
    }

    @Test
    void eachDueMailIsDeliveredOnceAsTextAndHtmlWithAMessageIdFromItsDedupeKey() throws Exception {
        queue(TestMails.email("consent-request:1:1", "pieter@vanderberg.example", "nl", "Pieter",
                "https://mci.example/consent/abc?x=1&y=2"));
        queue(TestMails.email("consent-request:2:1", "ayse@anadolu.example", "en", "Ayşe",
                "https://mci.example/consent/def"));

        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(2, 0));

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage dutch = byRecipient(received, "pieter@vanderberg.example");
        assertThat(dutch.getSubject()).isEqualTo("Testmail voor Pieter");
        assertThat(dutch.getMessageID()).isEqualTo(TestMails.expectedMessageId("consent-request:1:1"));
        assertThat(dutch.getFrom()).extracting(Object::toString)
                .containsExactly("MCI Engagements <no-reply@mci-engagements.example>");
        assertThat(dutch.getContentType()).startsWith("multipart/alternative");
        Map<String, String> parts = TestMails.parts(dutch);
        assertThat(parts.keySet()).containsExactly("text/plain", "text/html");
        assertThat(parts.get("text/plain")).contains("Hello Pieter,")
                .contains("Open your link (https://mci.example/consent/abc?x=1&y=2)").doesNotContain("<p>");
        assertThat(parts.get("text/html")).contains("href=\"https://mci.example/consent/abc?x=1&amp;y=2\"");

        MimeMessage english = byRecipient(received, "ayse@anadolu.example");
        assertThat(english.getSubject()).isEqualTo("Test mail for Ayşe");
        assertThat(english.getMessageID()).isEqualTo(TestMails.expectedMessageId("consent-request:2:1"));
        assertThat(TestMails.parts(english).get("text/plain")).contains("Hello Ayşe,");

        assertThat(jdbc.sql("select count(*) from outbox_email where sent_at is not null and attempts = 0 and last_error is null")
                .query(Long.class).single()).isEqualTo(2);
        assertThat(sender.sendDue()).as("nothing is due any more").isEqualTo(new OutboxSender.Result(0, 0));
        assertThat(smtp.getReceivedMessages()).hasSize(2);
    }

    @Test
    void aMailServerOutageLosesNothingAndDeliversEachMailOnceAfterTheBackoff() throws Exception {
        smtp.stop();
        List<String> keys = List.of("outage:1", "outage:2", "outage:3");
        for (String key : keys) {
            queue(TestMails.email(key, key.replace(':', '-') + "@customer.example", "en", "Customer", "https://mci.example/c"));
        }

        Instant before = clock.instant();
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(0, 3));
        Instant after = clock.instant();
        for (String key : keys) {
            Map<String, Object> row = row(key);
            assertThat(row.get("sent_at")).as(key).isNull();
            assertThat(row.get("attempts")).as(key).isEqualTo(1);
            assertThat((String) row.get("last_error")).as(key).isNotBlank();
            assertThat(instant(row.get("next_attempt_at"))).as(key)
                    .isBetween(earliest(before, OutboxSender.FIRST_RETRY), latest(after, OutboxSender.FIRST_RETRY));
        }
        assertThat(sender.sendDue()).as("not due again before the backoff").isEqualTo(new OutboxSender.Result(0, 0));

        smtp.start();
        assertThat(sender.sendDue()).as("still waiting out the backoff").isEqualTo(new OutboxSender.Result(0, 0));
        assertThat(smtp.getReceivedMessages()).isEmpty();

        clockOffsets.advance(OutboxSender.FIRST_RETRY.plusSeconds(1));
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(3, 0));
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(0, 0));

        assertThat(Arrays.stream(smtp.getReceivedMessages()).map(OutboxSenderTest::messageId))
                .containsExactlyInAnyOrderElementsOf(keys.stream().map(TestMails::expectedMessageId).toList());
        for (String key : keys) {
            assertThat(row(key).get("sent_at")).as(key).isNotNull();
            assertThat(row(key).get("last_error")).as(key).isNull();
        }
    }

    @Test
    void aMailThatKeepsFailingIsRetriedHourlyForeverNotDropped() throws Exception {
        queue(TestMails.email("stubborn:1", "stubborn@customer.example", "en", "Customer", "https://mci.example/c"));
        jdbc.sql("update outbox_email set attempts = ? where dedupe_key = 'stubborn:1'")
                .param(OutboxSender.ALARM_AFTER_ATTEMPTS + 4).update();
        smtp.stop();

        Instant before = clock.instant();
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(0, 1));
        Instant after = clock.instant();
        Map<String, Object> row = row("stubborn:1");
        assertThat(row.get("attempts")).isEqualTo(OutboxSender.ALARM_AFTER_ATTEMPTS + 5);
        assertThat(instant(row.get("next_attempt_at")))
                .isBetween(earliest(before, OutboxSender.LONGEST_WAIT), latest(after, OutboxSender.LONGEST_WAIT));

        smtp.start();
        clockOffsets.advance(OutboxSender.LONGEST_WAIT.plusSeconds(1));
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(1, 0));
        assertThat(smtp.getReceivedMessages()).extracting(OutboxSenderTest::messageId)
                .containsExactly(TestMails.expectedMessageId("stubborn:1"));
    }

    @Test
    void queuingTheSameStateChangeAgainAddsNoSecondMail() throws Exception {
        Email email = TestMails.email("consent-request:7:1", "once@customer.example", "en", "Once", "https://mci.example/c");
        queue(email);
        queue(email);
        assertThat(rows("consent-request:7:1")).isEqualTo(1);

        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(1, 0));
        queue(email);
        assertThat(rows("consent-request:7:1")).as("queued again after it was sent").isEqualTo(1);
        assertThat(sender.sendDue()).isEqualTo(new OutboxSender.Result(0, 0));
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void withoutAnyWayToDeliverMailStaysQueuedUntouched() {
        queue(TestMails.email("unconfigured:1", "waiting@customer.example", "en", "Waiting", "https://mci.example/c"));
        Map<String, Object> queued = row("unconfigured:1");
        OutboxSender unconfigured = new OutboxSender(jdbc, transactions, MailDelivery.UNCONFIGURED, clock);

        assertThat(unconfigured.sendDue()).isEqualTo(new OutboxSender.Result(0, 0));
        assertThat(row("unconfigured:1")).as("not even counted as an attempt").isEqualTo(queued);

        assertThat(sender.sendDue()).as("the configured server sends it").isEqualTo(new OutboxSender.Result(1, 0));
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void theDevMailboxDoesNotExistWhenMailGoesOverSmtp() {
        Http http = new Http(port);
        HttpResponse<String> anonymous = http.page(null, "/dev/mailbox");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(http.page("anna", "/dev/mailbox").statusCode()).isEqualTo(404);
        assertThat(http.page("anna", "/dev/mailbox/1").statusCode()).isEqualTo(404);
    }

    private void queue(Email email) {
        transactions.executeWithoutResult(status -> outbox.enqueue(email, clock.instant()));
    }

    private Map<String, Object> row(String dedupeKey) {
        return jdbc.sql("select * from outbox_email where dedupe_key = ?").param(dedupeKey).query().singleRow();
    }

    private long rows(String dedupeKey) {
        return jdbc.sql("select count(*) from outbox_email where dedupe_key = ?").param(dedupeKey).query(Long.class).single();
    }

    // PostgreSQL keeps microseconds; the clock may have nanoseconds.
    private static Instant earliest(Instant before, Duration wait) {
        return before.plus(wait).minusMillis(1);
    }

    private static Instant latest(Instant after, Duration wait) {
        return after.plus(wait).plusMillis(1);
    }

    private static Instant instant(Object timestamp) {
        return ((Timestamp) timestamp).toInstant();
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MimeMessage byRecipient(MimeMessage[] messages, String to) throws Exception {
        for (MimeMessage message : messages) {
            if (Arrays.stream(message.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equals(to))) {
                return message;
            }
        }
        throw new AssertionError("no message to " + to);
    }
}
