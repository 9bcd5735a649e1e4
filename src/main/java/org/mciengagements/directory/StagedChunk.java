package org.mciengagements.directory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A run of valid rows of one file, encoded for {@code COPY … FROM STDIN} in text format (fields
 * separated by tabs, {@code \N} for null; backslash, tab and line breaks escaped). A row naming a
 * key an earlier row of the chunk named replaces it here, so the database never sees a key twice
 * in one chunk; the chunk also notes whether a verified domain occurs twice, so the merge sorts
 * those out only when there are any.
 */
final class StagedChunk {

    private final Map<String, byte[]> rows = new LinkedHashMap<>();
    private final Set<String> domains = new HashSet<>();
    private final StringBuilder line = new StringBuilder(512);
    private boolean repeatedDomain;
    private byte[] payload;

    /** Adds one row: its key, its verified domains (tenants only) and the staging columns in COPY order. */
    void add(String key, List<String> rowDomains, Object... values) {
        for (String domain : rowDomains) {
            repeatedDomain |= !domains.add(domain);
        }
        line.setLength(0);
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            Object value = values[i];
            if (value == null) {
                line.append("\\N");
            } else {
                escape(String.valueOf(value));
            }
        }
        line.append('\n');
        rows.put(key, line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Distinct keys in the chunk. */
    int rows() {
        return rows.size();
    }

    boolean repeatedDomain() {
        return repeatedDomain;
    }

    /** Joins the rows into one COPY payload (on the reading thread, so the merging one only sends it). */
    StagedChunk seal() {
        int length = 0;
        for (byte[] row : rows.values()) {
            length += row.length;
        }
        payload = new byte[length];
        int at = 0;
        for (byte[] row : rows.values()) {
            System.arraycopy(row, 0, payload, at, row.length);
            at += row.length;
        }
        rows.clear();
        domains.clear();
        return this;
    }

    /** Sends the sealed rows with one COPY on the given connection; they are then in the table, in its transaction. */
    void copy(PGConnection connection, String copySql) throws SQLException {
        CopyIn copy = connection.getCopyAPI().copyIn(copySql);
        try {
            copy.writeToCopy(payload, 0, payload.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** A text array literal of values that need no quoting (canonical domain names: letters, digits, dots, hyphens). */
    static String plainArray(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
    }
}
