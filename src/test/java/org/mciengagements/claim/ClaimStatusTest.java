package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mciengagements.claim.ClaimStatus.APPROVED;
import static org.mciengagements.claim.ClaimStatus.AWAITING_CONSENT;
import static org.mciengagements.claim.ClaimStatus.CANCELED;
import static org.mciengagements.claim.ClaimStatus.COMPLETED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_DECLINED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_RECEIVED;
import static org.mciengagements.claim.ClaimStatus.CUSTOMER_CLAIMED;
import static org.mciengagements.claim.ClaimStatus.DISPUTED;
import static org.mciengagements.claim.ClaimStatus.DISPUTE_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.NOT_SUBMITTED_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.PARTNER_ACTION_REQUIRED;
import static org.mciengagements.claim.ClaimStatus.POST_SUBMISSION_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.REJECTED;
import static org.mciengagements.claim.ClaimStatus.REJECTED_FINAL;
import static org.mciengagements.claim.ClaimStatus.SUBMITTED;
import static org.mciengagements.claim.ClaimStatus.UNDER_REVIEW;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The claim lifecycle table of SPEC §10, written out here independently of the enum. */
class ClaimStatusTest {

    /** SPEC §10, column "next", copied row by row. Statuses not listed are terminal. */
    private static final Map<String, List<String>> SPEC_NEXT = Map.of(
            "CUSTOMER_CLAIMED", List.of("AWAITING_CONSENT", "CANCELED", "CONSENT_EXPIRED"),
            "AWAITING_CONSENT", List.of("CONSENT_RECEIVED", "CONSENT_DECLINED", "CONSENT_EXPIRED", "CANCELED"),
            "CONSENT_RECEIVED", List.of("SUBMITTED", "CANCELED", "NOT_SUBMITTED_EXPIRED"),
            "SUBMITTED", List.of("UNDER_REVIEW"),
            "UNDER_REVIEW", List.of("PARTNER_ACTION_REQUIRED", "APPROVED", "REJECTED", "REJECTED_FINAL"),
            "PARTNER_ACTION_REQUIRED", List.of("SUBMITTED", "POST_SUBMISSION_EXPIRED"),
            "REJECTED", List.of("DISPUTED", "DISPUTE_EXPIRED"),
            "DISPUTED", List.of("UNDER_REVIEW"),
            "APPROVED", List.of("COMPLETED"));

    /** SPEC §10, row "terminal". */
    private static final List<String> SPEC_TERMINAL = List.of("COMPLETED", "CANCELED", "CONSENT_DECLINED",
            "CONSENT_EXPIRED", "NOT_SUBMITTED_EXPIRED", "POST_SUBMISSION_EXPIRED", "DISPUTE_EXPIRED", "REJECTED_FINAL");

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (ClaimStatus from : ClaimStatus.values()) {
            for (ClaimStatus to : ClaimStatus.values()) {
                pairs.add(Arguments.of(from, to));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void canMoveToFollowsTheSpecTable(ClaimStatus from, ClaimStatus to) {
        boolean expected = SPEC_NEXT.getOrDefault(from.name(), List.of()).contains(to.name());

        assertThat(from.canMoveTo(to)).isEqualTo(expected);
    }

    @Test
    void specTableNamesEveryStatusExactlyOnce() {
        List<String> described = new ArrayList<>(SPEC_NEXT.keySet());
        described.addAll(SPEC_TERMINAL);

        assertThat(described).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ClaimStatus.values()).map(Enum::name).toList());
        assertThat(SPEC_NEXT.values().stream().flatMap(List::stream))
                .allSatisfy(next -> assertThat(ClaimStatus.valueOf(next)).isNotNull());
    }

    @Test
    void terminalStatusesAreExactlyThoseOfTheSpecAndHaveNoSuccessor() {
        for (ClaimStatus status : ClaimStatus.values()) {
            boolean terminal = SPEC_TERMINAL.contains(status.name());
            assertThat(status.isTerminal()).as(status.name()).isEqualTo(terminal);
            assertThat(status.isActive()).as(status.name()).isEqualTo(!terminal);
            if (terminal) {
                assertThat(ClaimStatus.values()).as("successors of " + status)
                        .noneMatch(status::canMoveTo);
            } else {
                assertThat(ClaimStatus.values()).as("successors of " + status).anyMatch(status::canMoveTo);
            }
        }
        assertThat(ClaimStatus.active()).extracting(Enum::name)
                .containsExactlyInAnyOrderElementsOf(SPEC_NEXT.keySet());
    }

    @Test
    void noStatusMovesToItself() {
        assertThat(ClaimStatus.values()).noneMatch(status -> status.canMoveTo(status));
    }

    @Test
    void cancellationIsPossibleExactlyBeforeTheFirstSubmission() {
        assertThat(EnumSet.allOf(ClaimStatus.class).stream().filter(s -> s.canMoveTo(CANCELED)))
                .containsExactlyInAnyOrder(CUSTOMER_CLAIMED, AWAITING_CONSENT, CONSENT_RECEIVED);
    }

    @Test
    void everyActiveStatusCanReachATerminalStatus() {
        for (ClaimStatus start : ClaimStatus.active()) {
            Set<ClaimStatus> seen = EnumSet.of(start);
            List<ClaimStatus> frontier = new ArrayList<>(List.of(start));
            while (!frontier.isEmpty()) {
                ClaimStatus current = frontier.removeLast();
                for (ClaimStatus next : ClaimStatus.values()) {
                    if (current.canMoveTo(next) && seen.add(next)) {
                        frontier.add(next);
                    }
                }
            }
            assertThat(seen).as("reachable from " + start).anyMatch(ClaimStatus::isTerminal);
        }
    }

    /** SPEC §5, Complete tab: completed (paid), canceled, not-submitted expired, post-submission expired, dispute
     * expired, rejected final. Declined and consent-expired claims leave the page instead. */
    @Test
    void completeTabHoldsTheTerminalStatusesWithNothingLeftToDo() {
        assertThat(ClaimStatus.COMPLETE_TAB).containsExactlyInAnyOrder(COMPLETED, CANCELED, NOT_SUBMITTED_EXPIRED,
                POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED, REJECTED_FINAL);
        assertThat(ClaimStatus.COMPLETE_TAB).allMatch(ClaimStatus::isTerminal)
                .doesNotContain(CONSENT_DECLINED, CONSENT_EXPIRED);
    }

    /** SPEC §6: consent is held from its acceptance until the claim ends. */
    @Test
    void consentIsHeldFromAcceptanceUntilTheClaimEnds() {
        assertThat(ClaimStatus.CONSENT_HELD).containsExactlyInAnyOrder(CONSENT_RECEIVED, SUBMITTED, UNDER_REVIEW,
                PARTNER_ACTION_REQUIRED, REJECTED, DISPUTED, APPROVED);
        assertThat(ClaimStatus.CONSENT_HELD).noneMatch(ClaimStatus::isTerminal)
                .doesNotContain(CUSTOMER_CLAIMED, AWAITING_CONSENT);
    }

    /** SPEC §6 ENGAGED_WITH_ANOTHER_PARTNER: submitted or later, not terminal-failed. */
    @Test
    void engagedMeansSubmittedOrLaterAndNotFailed() {
        assertThat(ClaimStatus.ENGAGED).containsExactlyInAnyOrder(SUBMITTED, UNDER_REVIEW, PARTNER_ACTION_REQUIRED,
                REJECTED, DISPUTED, APPROVED, COMPLETED);
        assertThat(ClaimStatus.ENGAGED).doesNotContain(POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED, REJECTED_FINAL,
                CANCELED, CONSENT_RECEIVED);
    }

    @Test
    void sqlListNamesEachStatusQuoted() {
        assertThat(ClaimStatus.sqlList(List.of(SUBMITTED, UNDER_REVIEW))).isEqualTo("('SUBMITTED', 'UNDER_REVIEW')");
        assertThat(ClaimStatus.sqlList(List.of(COMPLETED))).isEqualTo("('COMPLETED')");
    }
}
