package org.mciengagements.notification.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.notification.Outbox;
import org.mciengagements.notification.TestMails;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The demo run's mail (dev mailbox on, as in every embedded test context): the scheduled sender
 * "delivers" queued mail on its own, and {@code /dev/mailbox} shows every mail with its status and
 * links to anyone on the machine, signed in or not. Runs on its own database because it queues
 * mail, with a short send interval so the scheduled job is seen to fire.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mci.test.isolated-context=dev-mailbox", "mci.mail.send-interval=200ms", TestMails.MESSAGES})
@DirtiesContext
class DevMailboxTest {

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void theScheduledSenderDeliversQueuedMailOnItsOwn() {
        long id = queue("scheduled:1", "scheduled@customer.example", null);

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() ->
                jdbc.sql("select sent_at is not null from outbox_email where id = ?").param(id)
                        .query(Boolean.class).single());
        assertThat(jdbc.sql("select attempts from outbox_email where id = ?").param(id).query(Integer.class).single())
                .isZero();
    }

    @Test
    void aQueuedMailShowsOnTheMailboxWithItsSubjectAndLinksToAnyone() {
        // Not due for a day, so the scheduled sender leaves it queued while the page is read.
        long id = queue("mailbox:1", "pieter@vanderberg.example", clock.instant().plus(Duration.ofDays(1)));

        HttpResponse<String> list = http.page(null, "/dev/mailbox");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body())
                .contains("Dev mailbox")
                .contains("pieter@vanderberg.example")
                .contains("Test mail for Pieter")
                .contains("href=\"/dev/mailbox/" + id + "\"")
                .contains("href=\"https://mci.example/consent/abc?x=1&amp;y=2\"")
                .contains("Queued");

        HttpResponse<String> mail = http.page(null, "/dev/mailbox/" + id);
        assertThat(mail.statusCode()).isEqualTo(200);
        assertThat(mail.body())
                .contains("<h1>Test mail for Pieter</h1>")
                .contains("<p><a href=\"https://mci.example/consent/abc?x=1&amp;y=2\">Open your link</a></p>")
                .contains("Open your link (https://mci.example/consent/abc?x=1&amp;y=2)")
                // The mail's own document is unwrapped: the page stays one HTML document.
                .containsOnlyOnce("<html").containsOnlyOnce("<body");
    }

    @Test
    void aMailThatKeepsFailingShowsItsAttemptsAndLastError() {
        long id = queue("mailbox:2", "failing@customer.example", clock.instant().plus(Duration.ofDays(1)));
        jdbc.sql("update outbox_email set attempts = 3, last_error = 'Connection refused' where id = ?").param(id).update();

        HttpResponse<String> list = http.page(null, "/dev/mailbox");
        assertThat(list.body()).contains("Failed 3 times, retrying").contains("Connection refused");
        assertThat(http.get(null, "/dev/mailbox/" + id, "nl").body()).contains("3 keer mislukt").contains("Terug naar het postvak");
    }

    @Test
    void aMailThatDoesNotExistIsNotFound() {
        assertThat(http.page(null, "/dev/mailbox/999999").statusCode()).isEqualTo(404);
    }

    /** Queues the test mail; a non-null {@code due} postpones it, as a retry would be. */
    private long queue(String dedupeKey, String to, Instant due) {
        return transactions.execute(status -> {
            outbox.enqueue(TestMails.email(dedupeKey, to, "en", "Pieter", "https://mci.example/consent/abc?x=1&y=2"),
                    clock.instant());
            if (due != null) {
                jdbc.sql("update outbox_email set next_attempt_at = ? where dedupe_key = ?")
                        .params(java.sql.Timestamp.from(due), dedupeKey).update();
            }
            return jdbc.sql("select id from outbox_email where dedupe_key = ?").param(dedupeKey).query(Long.class).single();
        });
    }
}
