package org.mciengagements.program;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every enrollment status against every operator action, through the verbs against PostgreSQL: the
 * four moves of the table land where they should, keep the reason, the time and the operator on the
 * location and write one audit event for the location's partner; every other pair is refused with
 * 409 {@code INVALID_ENROLLMENT_MOVE} naming the status, and changes nothing. Each case runs in a
 * transaction that is rolled back, so the shared demo data stays as it is.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EnrollmentTransitionMatrixTest {

    static final String LOCATION = "4100231";

    /** The table as the product defines it, written out independently of the code. */
    static final Map<Enrollment, Map<EnrollmentAction, Enrollment>> ALLOWED = Map.of(
            Enrollment.NOT_ENROLLED, Map.of(EnrollmentAction.ENROLL, Enrollment.ENROLLED),
            Enrollment.ENROLLED, Map.of(EnrollmentAction.SUSPEND, Enrollment.SUSPENDED,
                    EnrollmentAction.WITHDRAW, Enrollment.NOT_ENROLLED),
            Enrollment.SUSPENDED, Map.of(EnrollmentAction.REENROLL, Enrollment.ENROLLED,
                    EnrollmentAction.WITHDRAW, Enrollment.NOT_ENROLLED));

    @Autowired
    Enrollments enrollments;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ProgramClock clock;

    static Stream<Arguments> everyStatusAndAction() {
        List<Arguments> cases = new ArrayList<>();
        for (Enrollment from : Enrollment.values()) {
            for (EnrollmentAction action : EnrollmentAction.values()) {
                cases.add(Arguments.of(from, action));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyStatusAndAction")
    void theTableAllowsExactlyItsMovesAndRefusesEveryOtherWithoutChange(Enrollment from, EnrollmentAction action) {
        Enrollment expected = ALLOWED.getOrDefault(from, Map.of()).get(action);
        assertThat(action.allowedFrom(from)).as("table of %s for %s", action, from).isEqualTo(expected != null);
        transactions.executeWithoutResult(tx -> {
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(60);
            jdbc.sql("update location set enrollment = ?, enrollment_reason = null where id = ?")
                    .params(from.name(), LOCATION).update();
            long auditBefore = audits();
            ProblemException refusal = null;
            try {
                enrollments.change(LOCATION, new Enrollments.Request(action.name(), "Matrix reason"), "oscar", now);
            } catch (ProblemException e) {
                refusal = e;
            }
            Location location = enrollments.find(LOCATION).location();
            if (expected != null) {
                assertThat(refusal).as("%s from %s is allowed", action, from).isNull();
                assertThat(location.enrollment()).isEqualTo(expected);
                assertThat(location.enrollmentReason()).isEqualTo("Matrix reason");
                assertThat(location.enrollmentChangedBy()).isEqualTo("oscar");
                assertThat(location.enrollmentChangedAt()).isEqualTo(now);
                assertThat(audits()).isEqualTo(auditBefore + 1);
                assertThat(jdbc.sql("""
                                select actor || '|' || partner_id || '|' || action || '|' || (detail ->> 'from') || '|'
                                    || (detail ->> 'to') || '|' || (detail ->> 'reason')
                                from audit_event where subject_type = 'LOCATION' and subject_id = ? order by id desc limit 1""")
                        .param(LOCATION).query(String.class).single())
                        .isEqualTo("oscar|contoso|" + action + "|" + from + "|" + expected + "|Matrix reason");
            } else {
                assertThat(refusal).as("%s from %s is refused", action, from).isNotNull();
                assertThat(refusal.status().value()).isEqualTo(409);
                assertThat(refusal.code()).isEqualTo("INVALID_ENROLLMENT_MOVE");
                assertThat(refusal.properties()).containsEntry("enrollment", from.name());
                assertThat(location.enrollment()).isEqualTo(from);
                assertThat(location.enrollmentReason()).isNull();
                assertThat(audits()).isEqualTo(auditBefore);
            }
            tx.setRollbackOnly();
        });
    }

    @ParameterizedTest
    @EnumSource(EnrollmentAction.class)
    void takingALocationOutOfServiceNeedsAReasonAndBringingItBackDoesNot(EnrollmentAction action) {
        Enrollment start = Stream.of(Enrollment.values()).filter(action::allowedFrom).findFirst().orElseThrow();
        transactions.executeWithoutResult(tx -> {
            jdbc.sql("update location set enrollment = ? where id = ?").params(start.name(), LOCATION).update();
            long auditBefore = audits();
            ProblemException refusal = null;
            try {
                enrollments.change(LOCATION, new Enrollments.Request(action.name(), "  "), "oscar", clock.instant());
            } catch (ProblemException e) {
                refusal = e;
            }
            boolean needsReason = action == EnrollmentAction.SUSPEND || action == EnrollmentAction.WITHDRAW;
            if (needsReason) {
                assertThat(refusal).isNotNull();
                assertThat(refusal.status().value()).isEqualTo(400);
                assertThat(refusal.fieldProblems()).extracting(f -> f.field() + ":" + f.code()).containsExactly("reason:REQUIRED");
                assertThat(enrollments.find(LOCATION).location().enrollment()).isEqualTo(start);
                assertThat(audits()).isEqualTo(auditBefore);
            } else {
                assertThat(refusal).isNull();
                assertThat(enrollments.find(LOCATION).location().enrollmentReason()).as("a blank reason is none").isNull();
                assertThat(audits()).isEqualTo(auditBefore + 1);
            }
            tx.setRollbackOnly();
        });
    }

    private long audits() {
        return jdbc.sql("select count(*) from audit_event where subject_type = 'LOCATION' and subject_id = ?")
                .param(LOCATION).query(Long.class).single();
    }
}
