package org.mciengagements.claim;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Appends to a claim's history; the table refuses updates and deletes. */
final class ClaimHistory {

    private ClaimHistory() {}

    static void append(JdbcClient jdbc, long claimId, Instant at, String actorType, String actor, String action,
                       ClaimStatus from, ClaimStatus to, String detail) {
        jdbc.sql("""
                        insert into claim_history (claim_id, at, actor_type, actor, action, from_status, to_status, detail)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(claimId, Timestamp.from(at), actorType, actor, action, from == null ? null : from.name(),
                        to == null ? null : to.name(), detail)
                .update();
    }
}
