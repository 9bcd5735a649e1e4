package org.mciengagements.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Issues consent tokens and finds them again by their hash; the token itself is never stored. */
@Component
class ConsentTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final JdbcClient jdbc;

    ConsentTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A freshly issued token: its row id and the secret that goes into the link. */
    record Issued(long id, String token) {}

    /** Issues a new link for a claim, revoking any live one. */
    Issued issue(long claimId, Instant expiresAt, Instant now) {
        jdbc.sql("update consent_token set revoked_at = ? where claim_id = ? and used_at is null and revoked_at is null")
                .params(Timestamp.from(now), claimId).update();
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        long id = jdbc.sql("insert into consent_token (claim_id, token_hash, created_at, expires_at) values (?, ?, ?, ?) returning id")
                .params(claimId, hash(token), Timestamp.from(now), Timestamp.from(expiresAt)).query(Long.class).single();
        return new Issued(id, token);
    }

    /** A stored token as found by its hash. */
    record Found(long id, long claimId, Instant expiresAt, Instant usedAt, Instant revokedAt) {}

    /** Finds a token, locking its row so that a replay waits for the first use to commit. */
    Optional<Found> findForUpdate(String token) {
        return find(token, " for update");
    }

    Optional<Found> find(String token) {
        return find(token, "");
    }

    private Optional<Found> find(String token, String lock) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("select id, claim_id, expires_at, used_at, revoked_at from consent_token where token_hash = ?" + lock)
                .param(hash(token))
                .query((rs, n) -> new Found(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5))))
                .optional();
    }

    void markUsed(long tokenId, Instant now) {
        jdbc.sql("update consent_token set used_at = ? where id = ? and used_at is null").params(Timestamp.from(now), tokenId)
                .update();
    }

    private static Instant instant(Timestamp ts) {
        return ts == null ? null : ts.toInstant();
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
