package org.mciengagements.engagement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mciengagements.eligibility.Expressions;
import org.mciengagements.engagement.EngagementDraft.RateCardDraft;
import org.mciengagements.engagement.EngagementRules.Invalid;
import org.mciengagements.engagement.EngagementRules.Valid;
import org.mciengagements.shared.ProblemException.FieldProblem;

/** The rules of SPEC §4 for an engagement's configuration, with the real CEL compiler. */
class EngagementRulesTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
    static final Expressions CEL = new Expressions();

    static EngagementDraft variable(List<String> types, List<RateCardDraft> cards) {
        return new EngagementDraft("Data modernization", "Move to a lakehouse.", "Data & AI", "PROJECT_M",
                "2026-01-01", "2027-12-31", "VARIABLE", types, List.of(), List.of(), null, null, List.of(),
                Map.of(), cards, null);
    }

    static RateCardDraft card(String from, int rateA) {
        return new RateCardDraft(from, 120, new BigDecimal("15"),
                Map.of("A", BigDecimal.valueOf(rateA), "B", BigDecimal.valueOf(150), "C", BigDecimal.valueOf(100)));
    }

    static EngagementRules.Checked check(EngagementDraft draft, Optional<Engagement> current, boolean hasClaims) {
        return EngagementRules.check("data-modernization", draft,
                new EngagementRules.Context(TODAY, current, hasClaims, id -> id.equals("4100231"), CEL));
    }

    static List<String> codes(EngagementRules.Checked checked) {
        return ((Invalid) checked).problems().stream().map(p -> p.field() + " " + p.code()).toList();
    }

    @Test
    void aVariableEngagementAcceptsExactlyTheOpportunityId() {
        assertThat(check(variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-01-01", 200))), Optional.empty(), false))
                .isInstanceOf(Valid.class);
        assertThat(codes(check(variable(List.of("MSX_OPPORTUNITY_ID", "TPID"), List.of(card("2026-01-01", 200))),
                Optional.empty(), false))).containsExactly("identifierTypes VARIABLE_NEEDS_OPPORTUNITY");
        assertThat(codes(check(variable(List.of(), List.of(card("2026-01-01", 200))), Optional.empty(), false)))
                .containsExactly("identifierTypes VARIABLE_NEEDS_OPPORTUNITY");
    }

    @Test
    void deadlinesAreWholePositiveDaysAndTheTypeFillsInTheRest() {
        var draft = variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-01-01", 200)));
        var withDeadlines = new EngagementDraft(draft.name(), draft.description(), draft.solutionArea(), draft.type(),
                draft.firstClaimDay(), draft.lastClaimDay(), draft.paymentModel(), draft.identifierTypes(), List.of(),
                List.of(), null, new EngagementDraft.DeadlineDraft(-1, null, null, 0, 7), List.of(), Map.of(),
                draft.rateCards(), null);
        assertThat(codes(check(withDeadlines, Optional.empty(), false)))
                .containsExactly("deadlines.consentDays OUT_OF_RANGE", "deadlines.disputeDays OUT_OF_RANGE");

        var fine = new EngagementDraft(draft.name(), draft.description(), draft.solutionArea(), draft.type(),
                draft.firstClaimDay(), draft.lastClaimDay(), draft.paymentModel(), draft.identifierTypes(), List.of(),
                List.of(), null, new EngagementDraft.DeadlineDraft(null, null, null, null, 7), List.of(), Map.of(),
                draft.rateCards(), null);
        Engagement engagement = ((Valid) check(fine, Optional.empty(), false)).engagement();
        assertThat(engagement.deadlines()).isEqualTo(new Deadlines(30, 200, 230, 30, 7));
    }

    @Test
    void aRateCardInForceStaysAsItIsWhileFutureVersionsMayChange() {
        var stored = ((Valid) check(variable(List.of("MSX_OPPORTUNITY_ID"),
                List.of(card("2026-01-01", 200), card("2026-12-01", 220))), Optional.empty(), false)).engagement();

        var changedInForce = variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-01-01", 210), card("2026-12-01", 220)));
        assertThat(codes(check(changedInForce, Optional.of(stored), true))).containsExactly("rateCards RATE_CARD_IN_FORCE");
        var removedInForce = variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-12-01", 220)));
        assertThat(codes(check(removedInForce, Optional.of(stored), true))).containsExactly("rateCards RATE_CARD_IN_FORCE");
        var futureChanged = variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-01-01", 200), card("2026-12-02", 230)));
        assertThat(check(futureChanged, Optional.of(stored), true)).isInstanceOf(Valid.class);
        var startsToday = variable(List.of("MSX_OPPORTUNITY_ID"),
                List.of(card("2026-01-01", 200), card(TODAY.toString(), 230)));
        assertThat(codes(check(startsToday, Optional.of(stored), true)))
                .containsExactly("rateCards[1].effectiveFrom RATE_CARD_BACKDATED");
    }

    @Test
    void thePaymentModelChangesOnlyWhileThereAreNoClaims() {
        var fixed = new EngagementDraft("W", "d", "a", "WORKSHOP", "2026-01-01", "2026-12-31", "FIXED",
                List.of("TENANT_ID"), List.of(), List.of(), null, null, List.of(),
                Map.of("A", BigDecimal.ONE, "B", BigDecimal.ONE, "C", BigDecimal.ONE), List.of(), null);
        var stored = ((Valid) check(fixed, Optional.empty(), false)).engagement();
        var toVariable = variable(List.of("MSX_OPPORTUNITY_ID"), List.of(card("2026-12-01", 200)));

        assertThat(check(toVariable, Optional.of(stored), false)).isInstanceOf(Valid.class);
        assertThat(codes(check(toVariable, Optional.of(stored), true))).containsExactly("paymentModel PAYMENT_MODEL_LOCKED");
    }

    @Test
    void everyCompileErrorOfACriterionIsReportedWithItsPosition() {
        var draft = new EngagementDraft("W", "d", "a", "WORKSHOP", "2026-01-01", "2026-12-31", "FIXED",
                List.of("TENANT_ID"), List.of(), List.of("4100231"), null, null,
                List.of(new Criterion("Seats", "customer.paidSeats >= 300\n  && nosuch.thing > 1", "m"),
                        new Criterion("Text", "\"a string\"", "a string, not a boolean")),
                Map.of("A", BigDecimal.ONE, "B", BigDecimal.ONE, "C", BigDecimal.ONE), List.of(), null);

        var invalid = (Invalid) check(draft, Optional.empty(), false);

        assertThat(invalid.expressionProblems()).extracting(p -> p.field() + "@" + p.line() + ":" + p.column())
                .containsExactly("criteria[0].expression@2:6", "criteria[1].expression@1:1");
        assertThat(invalid.problems()).extracting(FieldProblem::code).containsOnly("EXPRESSION_INVALID");
    }
}
