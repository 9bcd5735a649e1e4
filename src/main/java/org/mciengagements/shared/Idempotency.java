package org.mciengagements.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code Idempotency-Key} for creating POSTs. The key is claimed by inserting its row first, in the
 * same transaction as the work: a concurrent retry with the same key waits on the row's unique
 * index and then reads the stored response; a failed request rolls back and leaves the key unused.
 * Reusing a key for a different request is refused.
 */
@Component
public class Idempotency {

    /** A stored or fresh response: status and JSON body. */
    public record Response(int status, String body) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    Idempotency(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    public Response execute(String username, String key, String requestFingerprint, Instant now, Supplier<Response> work) {
        if (key == null) {
            return transactions.execute(status -> work.get());
        }
        if (key.isBlank() || key.length() > 200) {
            throw ProblemException.badRequest("Idempotency-Key", "INVALID_VALUE", "problem.idempotency.invalid");
        }
        String hash = sha256(requestFingerprint);
        return transactions.execute(status -> {
            int claimed = jdbc.sql("""
                            insert into idempotency_record (username, idempotency_key, request_hash, created_at)
                            values (?, ?, ?, ?) on conflict do nothing""")
                    .params(username, key, hash, Timestamp.from(now)).update();
            if (claimed == 0) {
                return stored(username, key, hash);
            }
            Response response = work.get();
            jdbc.sql("update idempotency_record set response_status = ?, response_body = ? where username = ? and idempotency_key = ?")
                    .params(response.status(), response.body(), username, key).update();
            return response;
        });
    }

    private Response stored(String username, String key, String hash) {
        record Row(String requestHash, Integer responseStatus, String responseBody) {}
        Optional<Row> row = jdbc.sql("""
                        select request_hash, response_status, response_body from idempotency_record
                        where username = ? and idempotency_key = ?""")
                .params(username, key).query(Row.class).optional();
        if (row.isEmpty() || row.get().responseStatus() == null) {
            throw new ProblemException(HttpStatus.CONFLICT, "IDEMPOTENCY_KEY_IN_USE", "problem.idempotency.inUse",
                    List.of(), List.of(), Map.of());
        }
        if (!row.get().requestHash().equals(hash)) {
            throw new ProblemException(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                    "problem.idempotency.reused", List.of(), List.of(), Map.of());
        }
        return new Response(row.get().responseStatus(), row.get().responseBody());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
