package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The invariants PostgreSQL enforces must agree with {@link ClaimStatus}: the partial unique indexes
 * name exactly the active and the consent-holding statuses, and a claim's history cannot be rewritten.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClaimSchemaTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void onePartnerOneActiveClaimIndexCoversExactlyTheActiveStatuses() {
        assertThat(statusesOf("claim_one_active_per_partner")).isEqualTo(names(Set.copyOf(ClaimStatus.active())));
    }

    @Test
    void oneConsentHolderIndexCoversExactlyTheConsentHoldingStatuses() {
        assertThat(statusesOf("claim_one_consent_holder")).isEqualTo(names(ClaimStatus.CONSENT_HELD));
    }

    @Test
    void readModelIndexesCoverExactlyTheStatusesTheirQueriesRead() {
        Set<String> active = names(Set.copyOf(ClaimStatus.active()));
        assertThat(statusesOf("claim_active_by_partner")).isEqualTo(active);
        assertThat(statusesOf("claim_active_by_name")).isEqualTo(active);
        assertThat(statusesOf("claim_complete_by_partner")).isEqualTo(names(ClaimStatus.COMPLETE_TAB));
        assertThat(statusesOf("claim_complete_by_name")).isEqualTo(names(ClaimStatus.COMPLETE_TAB));
        Set<String> facts = new TreeSet<>(active);
        facts.add(ClaimStatus.COMPLETED.name());
        assertThat(statusesOf("claim_market_facts")).isEqualTo(facts);
        assertThat(statusesOf("claim_due_consent")).containsExactlyInAnyOrder("CUSTOMER_CLAIMED", "AWAITING_CONSENT");
        assertThat(statusesOf("claim_due_first_submission")).containsExactly("CONSENT_RECEIVED");
        assertThat(statusesOf("claim_due_action")).containsExactly("PARTNER_ACTION_REQUIRED");
        assertThat(statusesOf("claim_due_dispute")).containsExactly("REJECTED");
    }

    @Test
    void claimHistoryCannotBeChangedOrDeleted() {
        long entry = jdbc.sql("select min(id) from claim_history").query(Long.class).single();
        assertThatThrownBy(() -> jdbc.sql("update claim_history set action = 'FORGED' where id = ?").param(entry).update())
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from claim_history where id = ?").param(entry).update())
                .hasMessageContaining("append-only");
        assertThat(jdbc.sql("select action from claim_history where id = ?").param(entry).query(String.class).single())
                .isNotEqualTo("FORGED");
    }

    private Set<String> statusesOf(String index) {
        String definition = jdbc.sql("select indexdef from pg_indexes where indexname = ?").param(index)
                .query(String.class).single();
        Set<String> statuses = new TreeSet<>();
        Matcher m = Pattern.compile("'([A-Z_]+)'").matcher(definition);
        while (m.find()) {
            statuses.add(m.group(1));
        }
        return statuses;
    }

    private static Set<String> names(Set<ClaimStatus> statuses) {
        Set<String> names = new TreeSet<>();
        statuses.forEach(s -> names.add(s.name()));
        return names;
    }
}
