package org.mciengagements.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every referral sub-status against every sub-status a move can lead into, through the verbs the
 * product uses (the decisions and the expiry): the moves the table allows land exactly there, with
 * the status that goes with the sub-status and one history entry; every other attempt is refused
 * with 409 and changes nothing. Each case runs in a transaction that is rolled back.
 */
@SpringBootTest(properties = "mci.test.isolated-context=referral-matrix")
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReferralTransitionMatrixTest {

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ReferralLifecycle lifecycle;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ProgramClock clock;

    long referralId;

    @BeforeAll
    void oneReferralOfItsOwn() {
        long claimId = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            customer_contact_name, customer_contact_email, customer_contact_language,
                            partner_contact_name, partner_contact_email, updated_at, estimated_deal_size_usd)
                        values ('copilot-readiness-workshop', 'contoso', '4100231', 'ADD', 'Matrix claim', 'TENANT_ID',
                            'b0b0b0b0-0000-4000-8000-000000000001', 'TENANT:b0b0b0b0-0000-4000-8000-000000000001',
                            'Matrix Customer', 'AWAITING_CONSENT', now(), 'anna', now() + interval '30 days',
                            'Kim Customer', 'kim@matrix.example', 'en', 'Anna', 'anna@contoso.example', now(), 25000)
                        returning id""")
                .query(Long.class).single();
        referralId = jdbc.sql("""
                        insert into referral (claim_id, engagement_id, partner_id, location_id, customer_key, customer_name,
                            claim_name, estimated_deal_size_usd, partner_contact_name, partner_contact_email, status,
                            sub_status, created_at, created_by, updated_at)
                        select id, engagement_id, partner_id, location_id, customer_key, customer_name, friendly_name,
                            estimated_deal_size_usd, partner_contact_name, partner_contact_email, 'NEW', 'PENDING', now(),
                            'anna', now()
                        from claim where id = ? returning id""")
                .param(claimId).query(Long.class).single();
    }

    static Stream<Arguments> everyFromAndTo() {
        List<Arguments> cases = new ArrayList<>();
        for (ReferralSubStatus from : ReferralSubStatus.values()) {
            for (ReferralSubStatus to : ReferralSubStatus.values()) {
                if (to != ReferralSubStatus.PENDING) { // only creation leads there
                    cases.add(Arguments.of(from, to));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("everyFromAndTo")
    void allowedMovesSucceedAndAllOthersAreRefusedWithoutChange(ReferralSubStatus from, ReferralSubStatus to) {
        boolean allowed = from.canMoveTo(to);
        transactions.executeWithoutResult(tx -> {
            Instant now = clock.instant();
            place(from);
            Snapshot before = snapshot();
            ReferralLifecycle.Locked referral = lifecycle.lock(referralId).orElseThrow();
            ProblemException refusal = null;
            try {
                switch (to) {
                    case ACCEPTED -> lifecycle.decide(referral, ReferralDecision.ACCEPT, ReferralLifecycle.Actor.partner("ruth"), null, now);
                    case WON -> lifecycle.decide(referral, ReferralDecision.WON, ReferralLifecycle.Actor.partner("ruth"), "won", now);
                    case LOST -> lifecycle.decide(referral, ReferralDecision.LOST, ReferralLifecycle.Actor.partner("ruth"), "lost", now);
                    case DECLINED -> lifecycle.decide(referral, ReferralDecision.DECLINE, ReferralLifecycle.Actor.partner("ruth"), null, now);
                    case EXPIRED -> lifecycle.expire(referral, "CANCELED", now);
                    default -> throw new IllegalArgumentException("no verb leads to " + to);
                }
            } catch (ProblemException e) {
                refusal = e;
            }
            if (allowed) {
                assertThat(refusal).as("%s → %s is allowed", from, to).isNull();
                Map<String, Object> row = row();
                assertThat(row.get("sub_status")).isEqualTo(to.name());
                assertThat(row.get("status")).isEqualTo(to.status().name());
                assertThat(row.get("closed_at") != null).as("closed_at set exactly when closed").isEqualTo(!to.isOpen());
                assertThat(snapshot().history()).isEqualTo(before.history() + 1);
            } else {
                assertThat(refusal).as("%s → %s is refused", from, to).isNotNull();
                assertThat(refusal.status().value()).isEqualTo(409);
                assertThat(refusal.code()).isEqualTo("INVALID_STATUS");
                assertThat(refusal.properties()).containsEntry("subStatus", from.name());
                assertThat(snapshot()).as("nothing changed by %s → %s", from, to).isEqualTo(before);
            }
            tx.setRollbackOnly();
        });
    }

    @ParameterizedTest
    @EnumSource(ReferralSubStatus.class)
    void onlyAnOpenReferralIsUpgradedToCoSellAndOnlyOnce(ReferralSubStatus from) {
        transactions.executeWithoutResult(tx -> {
            Instant now = clock.instant();
            place(from);
            Snapshot before = snapshot();
            boolean upgraded = lifecycle.upgradeToCoSell(lifecycle.lock(referralId).orElseThrow(), "test", now);
            assertThat(upgraded).as(from.name()).isEqualTo(from.isOpen());
            if (from.isOpen()) {
                assertThat(row()).containsEntry("co_sell", true).containsEntry("sub_status", from.name());
                assertThat(snapshot().history()).isEqualTo(before.history() + 1);
                Snapshot once = snapshot();
                assertThat(lifecycle.upgradeToCoSell(lifecycle.lock(referralId).orElseThrow(), "again", now)).isFalse();
                assertThat(snapshot()).isEqualTo(once);
            } else {
                assertThat(snapshot()).isEqualTo(before);
            }
            tx.setRollbackOnly();
        });
    }

    /** Puts the referral in {@code subStatus} with the status and closing time that go with it. */
    private void place(ReferralSubStatus subStatus) {
        jdbc.sql("""
                        update referral set status = ?, sub_status = ?, co_sell = false, co_sell_at = null,
                            closed_at = case when ? then now() end where id = ?""")
                .params(subStatus.status().name(), subStatus.name(), !subStatus.isOpen(), referralId).update();
    }

    private Map<String, Object> row() {
        return jdbc.sql("select * from referral where id = ?").param(referralId).query().singleRow();
    }

    private record Snapshot(String row, long history) {}

    private Snapshot snapshot() {
        Map<String, Object> values = jdbc.sql("""
                        select (select row_to_json(r)::text from referral r where id = :id) as row,
                               (select count(*) from referral_history where referral_id = :id) as history""")
                .param("id", referralId).query().singleRow();
        return new Snapshot((String) values.get("row"), (Long) values.get("history"));
    }
}
