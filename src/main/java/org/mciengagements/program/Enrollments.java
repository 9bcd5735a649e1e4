package org.mciengagements.program;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The operators' side of enrollment (SPEC §2–3): every partner's locations, and the guarded verbs
 * that enroll, suspend, re-enroll and withdraw them. Each verb goes through one private
 * {@link #move}: the table ({@link EnrollmentAction}) must allow the move from the status read, and
 * the update is conditional on that status, so of two operators racing on one location only one
 * move applies and the other is refused as the conflict it is. The location keeps when, why and by
 * whom its enrollment last changed; the audit trail records each change in the same transaction.
 */
@Service
public class Enrollments {

    /** The longest reason kept, in characters. */
    public static final int MAX_REASON = 500;

    private final JdbcClient jdbc;
    private final ProgramDirectory program;
    private final AuditTrail audit;

    Enrollments(JdbcClient jdbc, ProgramDirectory program, AuditTrail audit) {
        this.jdbc = jdbc;
        this.program = program;
        this.audit = audit;
    }

    /** What the operator's list is narrowed to; every part optional. */
    public record Filter(String partnerId, Enrollment enrollment, String q) {}

    /** A location as operators see it: its partner's name and the moves open to it now. */
    public record Listing(Location location, String partnerName, List<EnrollmentAction> allowedActions) {

        static Listing of(Location location, String partnerName) {
            return new Listing(location, partnerName, EnrollmentAction.from(location.enrollment()));
        }
    }

    /** An operator's request as it arrives: the action's name and a reason, both unchecked. */
    public record Request(String action, String reason) {}

    /** Every partner's locations matching the filter, by partner name and location ID. */
    public List<Listing> list(Filter filter) {
        StringBuilder sql = new StringBuilder("select p.name as partner_name, ")
                .append(ProgramDirectory.locationColumns("l"))
                .append(" from location l join partner p on p.id = l.partner_id where true");
        List<Object> params = new ArrayList<>();
        if (filter.partnerId() != null && !filter.partnerId().isBlank()) {
            sql.append(" and l.partner_id = ?");
            params.add(filter.partnerId().strip());
        }
        if (filter.enrollment() != null) {
            sql.append(" and l.enrollment = ?");
            params.add(filter.enrollment().name());
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            sql.append(" and (position(? in lower(l.id || ' ' || l.name || ' ' || p.name || ' ' || l.country)) > 0)");
            params.add(filter.q().strip().toLowerCase(Locale.ROOT));
        }
        sql.append(" order by p.name, p.id, l.id");
        return jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> Listing.of(ProgramDirectory.mapLocation(rs, n), rs.getString("partner_name")))
                .list();
    }

    /** One location, or 404 {@code LOCATION_NOT_FOUND}. */
    public Listing find(String locationId) {
        Location location = program.location(locationId == null ? "" : locationId.strip())
                .orElseThrow(() -> ProblemException.notFound("LOCATION_NOT_FOUND", "problem.location.notFound",
                        String.valueOf(locationId)));
        return Listing.of(location, program.partner(location.partnerId()).map(Partner::name).orElse(location.partnerId()));
    }

    /**
     * An operator's request: 404 for an unknown location, 400 for a missing or unknown action or a
     * missing reason where the move needs one, 409 {@code INVALID_ENROLLMENT_MOVE} for a move the
     * location's status does not allow.
     */
    @Transactional
    public Listing change(String locationId, Request request, String actor, Instant now) {
        find(locationId);
        String name = request == null || request.action() == null ? "" : request.action().strip();
        EnrollmentAction action = null;
        List<FieldProblem> problems = new ArrayList<>();
        if (name.isEmpty()) {
            problems.add(new FieldProblem("action", "REQUIRED", "enrollment.action.required"));
        } else {
            try {
                action = EnrollmentAction.valueOf(name.toUpperCase(Locale.ROOT).replace("-", "_"));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("action", "INVALID_VALUE", "enrollment.action.invalid"));
            }
        }
        String reason = request == null ? null : request.reason();
        problems.addAll(reasonProblems(action, reason));
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        return switch (action) {
            case ENROLL -> enroll(locationId, reason, actor, now);
            case SUSPEND -> suspend(locationId, reason, actor, now);
            case REENROLL -> reenroll(locationId, reason, actor, now);
            case WITHDRAW -> withdraw(locationId, reason, actor, now);
        };
    }

    /** A location that was not enrolled joins MCI. */
    @Transactional
    public Listing enroll(String locationId, String reason, String actor, Instant now) {
        return move(locationId, EnrollmentAction.ENROLL, reason, actor, now);
    }

    /** An enrolled location stops nominating for now; its claims in flight continue. */
    @Transactional
    public Listing suspend(String locationId, String reason, String actor, Instant now) {
        return move(locationId, EnrollmentAction.SUSPEND, reason, actor, now);
    }

    /** A suspended location nominates again. */
    @Transactional
    public Listing reenroll(String locationId, String reason, String actor, Instant now) {
        return move(locationId, EnrollmentAction.REENROLL, reason, actor, now);
    }

    /** A location leaves MCI; its claims in flight continue. */
    @Transactional
    public Listing withdraw(String locationId, String reason, String actor, Instant now) {
        return move(locationId, EnrollmentAction.WITHDRAW, reason, actor, now);
    }

    private Listing move(String locationId, EnrollmentAction action, String reason, String actor, Instant now) {
        Listing current = find(locationId);
        List<FieldProblem> problems = reasonProblems(action, reason);
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        Location location = current.location();
        Enrollment from = location.enrollment();
        if (!action.allowedFrom(from)) {
            throw invalidMove(location.id(), from, action);
        }
        String text = reason == null || reason.isBlank() ? null : reason.strip();
        int moved = jdbc.sql("""
                        update location set enrollment = ?, enrollment_reason = ?, enrollment_changed_at = ?,
                            enrollment_changed_by = ?
                        where id = ? and enrollment = ?""")
                .params(action.to().name(), text, Timestamp.from(now), actor, location.id(), from.name())
                .update();
        if (moved == 0) {
            // Another operator moved it first: say what it is now.
            throw invalidMove(location.id(), find(location.id()).location().enrollment(), action);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("from", from.name());
        detail.put("to", action.to().name());
        if (text != null) {
            detail.put("reason", text);
        }
        audit.record(actor, AuditTrail.Subject.LOCATION, location.id(), location.partnerId(), action.name(), detail, now);
        return find(location.id());
    }

    private static List<FieldProblem> reasonProblems(EnrollmentAction action, String reason) {
        String text = reason == null ? "" : reason.strip();
        if (text.isEmpty() && action != null && action.reasonRequired()) {
            return List.of(new FieldProblem("reason", "REQUIRED", "enrollment.reason.required"));
        }
        if (text.codePointCount(0, text.length()) > MAX_REASON) {
            return List.of(new FieldProblem("reason", "TOO_LONG", "enrollment.reason.tooLong", List.of(MAX_REASON)));
        }
        return List.of();
    }

    private static ProblemException invalidMove(String locationId, Enrollment current, EnrollmentAction action) {
        return new ProblemException(HttpStatus.CONFLICT, "INVALID_ENROLLMENT_MOVE", "problem.enrollment.invalidMove",
                List.of(locationId, current.name(), action.name()), List.of(),
                Map.of("enrollment", current.name(),
                        "allowedActions", EnrollmentAction.from(current).stream().map(Enum::name).toList()));
    }
}
