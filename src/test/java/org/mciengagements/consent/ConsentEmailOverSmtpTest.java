package org.mciengagements.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The consent email crosses a real SMTP server: a partner asks for consent, the scheduled sender
 * delivers the mail to GreenMail, and the test follows the link in the received mail to accept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mci.test.isolated-context=consent-smtp", "mci.mail.dev-mailbox=false", "spring.mail.host=127.0.0.1",
        "mci.mail.send-interval=200ms", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ConsentEmailOverSmtpTest {

    static final int SMTP_PORT = org.mciengagements.notification.TestMails.freePort();
    static final Pattern LINK = Pattern.compile("(http://[^\"\\s)]+/consent/[A-Za-z0-9_-]{43})");

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));

    @DynamicPropertySource
    static void smtpPort(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> SMTP_PORT);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theCustomerReceivesTheConsentMailAndAcceptsThroughItsLink() throws Exception {
        long claim = jdbc.sql("select id from claim where customer_name = 'Northwind Traders' and status = 'CUSTOMER_CLAIMED'")
                .query(Long.class).single();
        String contact = jdbc.sql("select customer_contact_email from claim where id = ?").param(claim)
                .query(String.class).single();
        Http http = new Http(port);
        HttpResponse<String> sent = http.postJson("anna", "/api/v1/claims/" + claim + "/consent-request",
                "{\"estimatedDealSizeUsd\":30000,\"disclaimerAccepted\":true}");
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 1);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(contact);
        assertThat(mail.getSubject()).contains("Contoso Consulting");
        Matcher link = LINK.matcher(GreenMailUtil.getBody(mail).replace("=\r\n", "").replace("=3D", "="));
        assertThat(link.find()).as("the mail carries an absolute consent link").isTrue();
        String url = link.group(1);
        assertThat(url).startsWith("http://localhost:" + port + "/consent/");

        String token = url.substring(url.lastIndexOf('/') + 1);
        HttpResponse<String> accepted = http.postJson(null, "/api/v1/consent/" + token, "{\"decision\":\"ACCEPT\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("CONSENT_RECEIVED");
        // The partner contact is told, over the same SMTP server; nothing is sent twice.
        await().atMost(Duration.ofSeconds(20)).until(() -> smtp.getReceivedMessages().length >= 2);
        // In the language of the partner user who made the claim (Anna works in Dutch).
        assertThat(smtp.getReceivedMessages()[1].getSubject()).startsWith("Toestemming ontvangen");
        assertThat(smtp.getReceivedMessages()).hasSize(2);
    }
}
