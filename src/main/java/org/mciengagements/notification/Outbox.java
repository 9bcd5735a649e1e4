package org.mciengagements.notification;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
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
        enqueueAll(List.of(email), now);
    }

    /** Queues emails in one insert; each is rendered as {@link #enqueue} renders it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueAll(List<Email> emails, Instant now) {
        if (emails.isEmpty()) {
            return;
        }
        int n = emails.size();
        String[] keys = new String[n];
        Long[] claimIds = new Long[n];
        String[] kinds = new String[n];
        String[] to = new String[n];
        String[] languages = new String[n];
        String[] subjects = new String[n];
        String[] texts = new String[n];
        String[] htmls = new String[n];
        for (int i = 0; i < n; i++) {
            Email email = emails.get(i);
            Locale locale = Locale.forLanguageTag(email.language());
            String html = templates.process("mail/" + email.template(), new Context(locale, email.model()));
            keys[i] = email.dedupeKey();
            claimIds[i] = email.claimId();
            kinds[i] = email.template();
            to[i] = email.to();
            languages[i] = email.language();
            subjects[i] = messages.getMessage("mail." + email.template() + ".subject", email.model().values().toArray(),
                    locale);
            texts[i] = MailText.fromHtml(html);
            htmls[i] = html;
        }
        jdbc.sql("""
                        insert into outbox_email (dedupe_key, claim_id, kind, to_address, language, subject, body_text,
                            body_html, created_at, next_attempt_at)
                        select m.key, m.claim_id, m.kind, m.to_address, m.language, m.subject, m.body_text, m.body_html,
                               :now, :now
                        from unnest(:keys, :claimIds, :kinds, :to, :languages, :subjects, :texts, :htmls)
                            with ordinality as m(key, claim_id, kind, to_address, language, subject, body_text, body_html, n)
                        order by m.n
                        on conflict (dedupe_key) do nothing""")
                .param("now", Timestamp.from(now)).param("keys", keys).param("claimIds", claimIds)
                .param("kinds", kinds).param("to", to).param("languages", languages).param("subjects", subjects)
                .param("texts", texts).param("htmls", htmls)
                .update();
    }
}
