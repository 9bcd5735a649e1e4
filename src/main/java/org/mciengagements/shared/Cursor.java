package org.mciengagements.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset-paging position: the sort value and the id of the last row of a page. Keyset
 * paging keeps deep pages as fast as the first (no OFFSET scans).
 */
public record Cursor(String sortValue, String id) {

    private static final char SEPARATOR = '\u001f';

    public String encode() {
        String raw = sortValue + SEPARATOR + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a request; a malformed one is the caller's error, reported on {@code field}. */
    public static Cursor decode(String encoded, String field) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int at = raw.indexOf(SEPARATOR);
            if (at < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return new Cursor(raw.substring(0, at), raw.substring(at + 1));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(field, "INVALID_CURSOR", "problem.cursor.invalid");
        }
    }

    /** One page of rows and the cursor of the next page, if there is one. */
    public record Page<T>(List<T> items, String nextCursor) {}

    /** Validates a requested page size: 1 to 200, 50 when absent. */
    public static int limit(Integer requested) {
        if (requested == null) {
            return 50;
        }
        if (requested < 1 || requested > 200) {
            throw ProblemException.badRequest("limit", "OUT_OF_RANGE", "problem.limit.range");
        }
        return requested;
    }
}
