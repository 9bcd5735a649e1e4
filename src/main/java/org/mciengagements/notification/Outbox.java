package org.mciengagements.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Queues emails in the caller's transaction. The mail is rendered now, in the recipient's
 * language, so what is sent is exactly what was decided at the time of the change.
 */
@Service
public class Outbox {

    private final JdbcClient jdbc;
    private final TemplateEngine templates;
    private final MessageSource messages;

    Outbox(JdbcClient jdbc, TemplateEngine templates, MessageSource messages) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.messages = messages;
    }

    /** Queues an email; must run inside the transaction of the state change it reports. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueue(Email email, Instant now) {
        Locale locale = Locale.forLanguageTag(email.language());
        Context context = new Context(locale, email.model());
        String html = templates.process("mail/" + email.template(), context);
        String subject = messages.getMessage("mail." + email.template() + ".subject",
                email.model().values().toArray(), locale);
        jdbc.sql("""
                        insert into outbox_email (dedupe_key, claim_id, kind, to_address, language, subject, body_text,
                            body_html, created_at, next_attempt_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (dedupe_key) do nothing""")
                .params(email.dedupeKey(), email.claimId(), email.template(), email.to(), email.language(), subject,
                        MailText.fromHtml(html), html, Timestamp.from(now), Timestamp.from(now))
                .update();
    }
}
