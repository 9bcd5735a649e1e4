package org.mciengagements.notification;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Chooses how mail leaves: the dev mailbox when {@code mci.mail.dev-mailbox} is on (the embedded
 * demo run), SMTP when Spring Boot configured a {@link JavaMailSender} ({@code spring.mail.host}),
 * otherwise nothing: rows stay queued and go out once SMTP is configured, so no mail is lost to a
 * missing setting.
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    @Bean
    MailDelivery mailDelivery(@Value("${mci.mail.dev-mailbox:false}") boolean devMailbox,
                              @Value("${mci.mail.from:MCI Engagements <no-reply@mci-engagements.example>}") String from,
                              ObjectProvider<JavaMailSender> mailSender) {
        if (devMailbox) {
            log.info("Mail goes to the dev mailbox (/dev/mailbox), not to SMTP: mci.mail.dev-mailbox=true");
            return MailDelivery.DEV_MAILBOX;
        }
        JavaMailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            log.warn("No mail server configured (spring.mail.host) and mci.mail.dev-mailbox=false: emails stay "
                    + "queued in outbox_email and are sent once a mail server is configured");
            return MailDelivery.UNCONFIGURED;
        }
        return new SmtpDelivery(sender, fromAddress(from));
    }

    private static InternetAddress fromAddress(String from) {
        try {
            return new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalStateException("mci.mail.from is not an email address such as "
                    + "'MCI Engagements <no-reply@example.com>': " + from, e);
        }
    }
}
