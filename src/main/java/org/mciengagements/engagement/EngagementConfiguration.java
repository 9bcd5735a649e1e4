package org.mciengagements.engagement;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mciengagements.engagement.EngagementRules.Invalid;
import org.mciengagements.engagement.EngagementRules.Valid;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Operators create and change engagements (SPEC §4). Every save checks the whole configuration
 * with {@link EngagementRules}, refuses it with every problem listed, and records who changed what
 * in the {@link AuditTrail} in the same transaction. Saves of one engagement are serialized, and a
 * caller that read a version may ask to save only if nobody changed it since (optimistic lock).
 */
@Service
public class EngagementConfiguration {

    /** An engagement with the version a later save may be conditioned on. */
    public record Versioned(Engagement engagement, String version) {}

    /** What a save did; {@code changed} is false when the configuration was already exactly this. */
    public record Saved(Engagement engagement, String version, boolean created, boolean changed) {}

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;
    private final ExpressionCheck expressions;
    private final ClaimPresence claims;
    private final AuditTrail audit;
    private final JsonMapper json;

    EngagementConfiguration(JdbcClient jdbc, EngagementCatalog catalog, ProgramDirectory program,
                            ExpressionCheck expressions, ClaimPresence claims, AuditTrail audit, JsonMapper json) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.program = program;
        this.expressions = expressions;
        this.claims = claims;
        this.audit = audit;
        this.json = json;
    }

    public List<Versioned> all() {
        Map<String, String> versions = new LinkedHashMap<>();
        jdbc.sql("select id, updated_at from engagement").query((rs, n) ->
                versions.put(rs.getString(1), version(rs.getTimestamp(2)))).list();
        return catalog.all().stream().map(e -> new Versioned(e, versions.get(e.id()))).toList();
    }

    public Optional<Versioned> find(String id) {
        return catalog.find(id).flatMap(e -> storedVersion(id).map(v -> new Versioned(e, v)));
    }

    public boolean hasClaims(String id) {
        return claims.hasClaims(id);
    }

    /** The recorded changes of one engagement, newest first. */
    public List<AuditTrail.Event> history(String id, int limit) {
        return audit.of(AuditTrail.Subject.ENGAGEMENT, id, limit);
    }

    /** Checks a configuration without saving it: what a save would refuse, or the engagement. */
    public EngagementRules.Checked check(String id, EngagementDraft draft, Instant now) {
        Optional<Engagement> current = catalog.find(id);
        return EngagementRules.check(id, draft, context(id, current, now));
    }

    private EngagementRules.Context context(String id, Optional<Engagement> current, Instant now) {
        return new EngagementRules.Context(LocalDate.ofInstant(now, ZoneOffset.UTC), current,
                current.isPresent() && claims.hasClaims(id), location -> program.location(location).isPresent(),
                expressions);
    }

    /**
     * Creates or replaces an engagement. {@code expectedVersion}, when given, must be the stored
     * version ({@code "new"} for an engagement that must not exist yet), else 412.
     */
    @Transactional
    public Saved put(String actor, String id, EngagementDraft draft, String expectedVersion, Instant now) {
        if (!EngagementRules.validId(id)) {
            throw ProblemException.badRequest("id", "INVALID_ID", "engagement.config.id.invalid");
        }
        jdbc.sql("select pg_advisory_xact_lock(hashtext('engagement-config'), hashtext(?))").param(id)
                .query(Object.class).single();
        Optional<Engagement> current = catalog.find(id);
        String stored = storedVersion(id).orElse("new");
        if (expectedVersion != null && !expectedVersion.equals(stored)) {
            throw new ProblemException(HttpStatus.PRECONDITION_FAILED, "ENGAGEMENT_CHANGED",
                    "engagement.config.changed", List.of(), List.of(), Map.of("currentVersion", stored));
        }
        Engagement engagement = switch (EngagementRules.check(id, draft, context(id, current, now))) {
            case Valid valid -> valid.engagement();
            case Invalid invalid -> throw new ProblemException(HttpStatus.BAD_REQUEST, "VALIDATION_FAILED",
                    "engagement.config.invalid", List.of(invalid.problems().size()), invalid.problems(),
                    invalid.expressionProblems().isEmpty() ? Map.of()
                            : Map.of("expressionErrors", invalid.expressionProblems()));
        };
        Map<String, Object> before = current.map(this::described).orElse(null);
        Map<String, Object> after = described(engagement);
        if (after.equals(before)) {
            return new Saved(engagement, stored, false, false);
        }
        catalog.save(engagement, now);
        String version = storedVersion(id).orElseThrow();
        if (before == null) {
            audit.record(actor, AuditTrail.Subject.ENGAGEMENT, id, null, "CREATED", Map.of("configuration", after), now);
        } else {
            audit.record(actor, AuditTrail.Subject.ENGAGEMENT, id, null, "UPDATED",
                    Map.of("changes", changes(before, after)), now);
        }
        return new Saved(engagement, version, before == null, true);
    }

    /** The configuration as plain JSON values, the form the audit trail keeps and compares. */
    private Map<String, Object> described(Engagement engagement) {
        return json.convertValue(EngagementDraft.of(engagement), MAP);
    }

    /** Field by field: {@code {field: {from, to}}} for each top-level field that differs. */
    private static Map<String, Object> changes(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Object> changes = new LinkedHashMap<>();
        after.forEach((field, value) -> {
            Object old = before.get(field);
            if (!Objects.equals(old, value)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("from", old);
                change.put("to", value);
                changes.put(field, change);
            }
        });
        return changes;
    }

    private Optional<String> storedVersion(String id) {
        return jdbc.sql("select updated_at from engagement where id = ?").param(id).query(Timestamp.class)
                .optional().map(EngagementConfiguration::version);
    }

    /** The stored change time, to the microsecond PostgreSQL keeps, as an opaque version string. */
    private static String version(Timestamp updatedAt) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, updatedAt.toInstant()));
    }
}
