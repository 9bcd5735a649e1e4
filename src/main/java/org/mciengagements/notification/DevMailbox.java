package org.mciengagements.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outbox as a mailbox, for the dev mailbox page of the demo run: there the rows are the
 * delivered mail, so customers' consent links can be followed on the same machine.
 */
@Component
public class DevMailbox {

    private static final Pattern HREF = Pattern.compile("(?i)<a\\s[^>]*href=\"([^\"]+)\"");
    private static final Pattern BODY = Pattern.compile("(?is)<body[^>]*>(.*)</body>");

    private final JdbcClient jdbc;

    DevMailbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public enum Status { QUEUED, SENT, FAILING }

    /** One outbox row as the mailbox shows it. */
    public record Mail(long id, Instant createdAt, String to, String language, String kind, Long claimId,
                       String subject, String bodyText, String bodyHtml, int attempts, Instant nextAttemptAt,
                       Instant sentAt, String lastError) {

        public Status status() {
            return sentAt != null ? Status.SENT : attempts > 0 ? Status.FAILING : Status.QUEUED;
        }

        /** The links in the mail, in order, as a recipient would follow them. */
        public List<String> links() {
            Matcher m = HREF.matcher(bodyHtml);
            return m.results().map(r -> unescape(r.group(1))).distinct().toList();
        }

        /** What is inside the HTML mail's body element, to show inside a page. */
        public String bodyFragment() {
            Matcher m = BODY.matcher(bodyHtml);
            return m.find() ? m.group(1) : bodyHtml;
        }

        private static String unescape(String attribute) {
            return attribute.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&amp;", "&");
        }
    }

    /** The newest mails first. */
    public List<Mail> latest(int limit) {
        return jdbc.sql(SELECT + " order by id desc limit ?").param(limit).query(DevMailbox::mail).list();
    }

    public Optional<Mail> find(long id) {
        return jdbc.sql(SELECT + " where id = ?").param(id).query(DevMailbox::mail).optional();
    }

    private static final String SELECT = """
            select id, created_at, to_address, language, kind, claim_id, subject, body_text, body_html, attempts,
                   next_attempt_at, sent_at, last_error
            from outbox_email""";

    private static Mail mail(ResultSet rs, int n) throws SQLException {
        return new Mail(rs.getLong("id"), instant(rs.getTimestamp("created_at")), rs.getString("to_address"),
                rs.getString("language"), rs.getString("kind"), rs.getObject("claim_id", Long.class),
                rs.getString("subject"), rs.getString("body_text"), rs.getString("body_html"), rs.getInt("attempts"),
                instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("sent_at")),
                rs.getString("last_error"));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
