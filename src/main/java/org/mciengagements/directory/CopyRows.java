package org.mciengagements.directory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Rows streamed into PostgreSQL with {@code COPY … FROM STDIN} in text format: fields separated by
 * tabs, {@code \N} for null, backslash, tab and line breaks escaped. Rows are buffered and sent in
 * large chunks while the caller goes on reading its file, so parsing in Java and ingesting in the
 * database run side by side.
 */
final class CopyRows implements AutoCloseable {

    private static final int BUFFER_BYTES = 1 << 18;

    private final PGCopyOutputStream out;
    private final StringBuilder line = new StringBuilder(512);
    private boolean finished;

    CopyRows(PGConnection connection, String copySql) {
        try {
            this.out = new PGCopyOutputStream(connection, copySql, BUFFER_BYTES);
        } catch (SQLException e) {
            throw new IllegalStateException("COPY could not start: " + e.getMessage(), e);
        }
    }

    /** One row; values are written with {@link String#valueOf}, nulls as SQL NULL. */
    void row(Object... values) {
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
        try {
            out.write(line.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text array literal of values that need no quoting (canonical domain names: letters, digits, dots, hyphens). */
    static String plainArray(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }

    /** Ends the COPY; the rows are then in the table, inside the caller's transaction. */
    long finish() {
        try {
            finished = true;
            return out.endCopy();
        } catch (SQLException e) {
            throw new IllegalStateException("COPY failed: " + e.getMessage(), e);
        }
    }

    /** Abandons an unfinished COPY, so the connection can report the real failure (or be discarded). */
    @Override
    public void close() {
        if (!finished && out.isActive()) {
            try {
                out.cancelCopy();
            } catch (SQLException e) {
                // The connection is failing already; the transaction rolls back either way.
            }
        }
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
