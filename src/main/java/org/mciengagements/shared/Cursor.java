package org.mciengagements.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * An opaque keyset-paging position: the sort value and the id of the last row of a page. Keyset
 * paging keeps deep pages as fast as the first (no OFFSET scans).
 */
public record Cursor(String sortValue, String id) {

    /**
     * The sort value's length, a colon, then the sort value and the id: the split is exact whatever
     * characters the two hold (a separator character could occur in a sort value taken from data).
     */
    public String encode() {
        String raw = sortValue.length() + ":" + sortValue + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Decodes a cursor from a request; a malformed one is the caller's error, reported on {@code field}. */
    public static Cursor decode(String encoded, String field) {
        if (encoded == null || encoded.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("no length");
            }
            int start = colon + 1;
            int length = Integer.parseInt(raw, 0, colon, 10);
            if (length < 0 || length > raw.length() - start) {
                throw new IllegalArgumentException("length out of range");
            }
            return new Cursor(raw.substring(start, start + length), raw.substring(start + length));
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
