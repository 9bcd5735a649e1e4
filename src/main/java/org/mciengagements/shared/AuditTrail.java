package org.mciengagements.shared;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The record of changes to the program itself (who, when, what): engagement configuration,
 * enrollment, partner users' roles and directory imports. Written in the caller's transaction, so a
 * change and its record commit or roll back together; the table refuses updates and deletes.
 */
@Component
public class AuditTrail {

    /** What a change is about. */
    public enum Subject { ENGAGEMENT, LOCATION, USER, DIRECTORY_IMPORT }

    /**
     * One recorded change. {@code partnerId} is set when the change concerns one partner, whose
     * administrators may then read it; {@code detail} says what changed, as JSON-ready values.
     */
    public record Event(long id, Instant at, String actor, Subject subject, String subjectId, String partnerId,
                        String action, Map<String, Object> detail) {}

    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AuditTrail(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void record(String actor, Subject subject, String subjectId, String partnerId, String action,
                       Map<String, Object> detail, Instant now) {
        jdbc.sql("""
                        insert into audit_event (at, actor, subject_type, subject_id, partner_id, action, detail)
                        values (?, ?, ?, ?, ?, ?, cast(? as jsonb))""")
                .params(Timestamp.from(now), actor, subject.name(), subjectId, partnerId, action,
                        json.writeValueAsString(detail))
                .update();
    }

    /** The changes to one subject, newest first. */
    public List<Event> of(Subject subject, String subjectId, int limit) {
        return jdbc.sql(SELECT + " where subject_type = ? and subject_id = ? order by id desc limit ?")
                .params(subject.name(), subjectId, limit).query(this::event).list();
    }

    /** The latest changes to any subject of a kind, newest first. */
    public List<Event> latest(Subject subject, int limit) {
        return jdbc.sql(SELECT + " where subject_type = ? order by id desc limit ?")
                .params(subject.name(), limit).query(this::event).list();
    }

    /** The changes that concern one partner, newest first. */
    public List<Event> ofPartner(String partnerId, int limit) {
        return jdbc.sql(SELECT + " where partner_id = ? order by id desc limit ?")
                .params(partnerId, limit).query(this::event).list();
    }

    private static final String SELECT =
            "select id, at, actor, subject_type, subject_id, partner_id, action, detail::text as detail from audit_event";

    private Event event(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                Subject.valueOf(rs.getString("subject_type")), rs.getString("subject_id"), rs.getString("partner_id"),
                rs.getString("action"), json.readValue(rs.getString("detail"), DETAIL));
    }
}
