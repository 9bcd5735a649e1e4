package org.mciengagements.claim;

import org.mciengagements.engagement.ClaimPresence;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

@Component
class ClaimPresenceFromClaims implements ClaimPresence {

    private final JdbcClient jdbc;

    ClaimPresenceFromClaims(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean hasClaims(String engagementId) {
        return jdbc.sql("select exists (select 1 from claim where engagement_id = ?)").param(engagementId)
                .query(Boolean.class).single();
    }
}
