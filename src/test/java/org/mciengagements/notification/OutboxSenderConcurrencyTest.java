package org.mciengagements.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.Application;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Senders on every server at once (ARCHITECTURE: background jobs safe to run on every server):
 * 8 threads, half of them on a second server sharing the database, race over 200 queued mails.
 * The SMTP server receives each dedupe key's Message-ID exactly once, and every row is marked sent
 * by exactly one sender.
 */
@SpringBootTest(properties = {"mci.test.isolated-context=outbox-race", "mci.mail.dev-mailbox=false",
        "spring.mail.host=127.0.0.1", "mci.mail.send-interval=1h", TestMails.MESSAGES})
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxSenderConcurrencyTest {

    static final int MAILS = 200;
    static final int THREADS = 8;
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
    EmbeddedPostgres postgres;

    ConfigurableApplicationContext secondServer;

    @BeforeAll
    void startSecondServer() {
        secondServer = new SpringApplicationBuilder(Application.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + SMTP_PORT,
                "--mci.mail.dev-mailbox=false",
                "--mci.mail.send-interval=1h",
                "--mci.security.bcrypt-strength=4");
    }

    @AfterAll
    void stopSecondServer() {
        secondServer.close();
    }

    @Test
    void sendersRacingOnTwoServersDeliverEachMailExactlyOnce() throws Exception {
        List<String> keys = IntStream.rangeClosed(1, MAILS).mapToObj(i -> "race:" + i).toList();
        transactions.executeWithoutResult(status -> keys.forEach(key -> outbox.enqueue(
                TestMails.email(key, key.replace(':', '-') + "@customer.example", "en", key, "https://mci.example/" + key),
                clock.instant())));
        List<OutboxSender> senders = List.of(sender, secondServer.getBean(OutboxSender.class));

        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<OutboxSender.Result>> runs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            OutboxSender mine = senders.get(t % senders.size());
            runs.add(pool.submit(() -> {
                start.await(30, TimeUnit.SECONDS);
                int sent = 0;
                int failed = 0;
                OutboxSender.Result run;
                do {
                    run = mine.sendDue();
                    sent += run.sent();
                    failed += run.failed();
                } while (run.sent() + run.failed() > 0);
                return new OutboxSender.Result(sent, failed);
            }));
        }
        List<OutboxSender.Result> results = new ArrayList<>();
        for (Future<OutboxSender.Result> run : runs) {
            results.add(run.get(120, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(results.stream().mapToInt(OutboxSender.Result::failed).sum()).as("failed attempts").isZero();
        assertThat(results.stream().mapToInt(OutboxSender.Result::sent).sum()).as("marked sent, over all senders")
                .isEqualTo(MAILS);
        assertThat(results.stream().filter(r -> r.sent() > 0).count()).as("senders that took part: %s", results)
                .isGreaterThan(1);

        Map<String, Long> received = java.util.Arrays.stream(smtp.getReceivedMessages())
                .collect(Collectors.groupingBy(OutboxSenderConcurrencyTest::messageId, Collectors.counting()));
        Map<String, Long> once = keys.stream()
                .collect(Collectors.toMap(TestMails::expectedMessageId, key -> 1L));
        assertThat(received).isEqualTo(once);
        assertThat(jdbc.sql("select count(*) from outbox_email where sent_at is not null and attempts = 0")
                .query(Long.class).single()).isEqualTo(MAILS);
    }

    private static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
