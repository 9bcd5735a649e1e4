package org.mciengagements.directory;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads RFC 4180 CSV with a header row: fields separated by commas, optionally quoted with
 * {@code "}, a quote inside a quoted field written twice, line breaks allowed inside quotes, lines
 * ending in LF, CRLF or CR, and an optional UTF-8 byte-order mark.
 *
 * <p>A malformed record (a stray quote, or a field count that differs from the header's) is
 * reported as a {@link CsvFormatException} naming its row, after the record has been consumed, so
 * an import can report the row and go on with the next one. Only an unterminated quote ends the
 * file, because nothing after it can be told apart. Blank lines are skipped but still counted, so
 * row numbers match what a spreadsheet shows.
 *
 * <p>Memory stays bounded whatever the input: a field longer than {@value #MAX_FIELD_CHARS}
 * characters, or a record of more than {@value #MAX_FIELDS} fields, is malformed; the reader keeps
 * consuming it without storing the excess, so one garbage record cannot exhaust the heap.
 */
public final class CsvReader {

    /** The longest field kept; a longer one makes its record malformed. */
    public static final int MAX_FIELD_CHARS = 65_536;
    /** The most fields a record may have; more make it malformed. */
    public static final int MAX_FIELDS = 4_096;

    private static final int EOF = -1;

    private final Reader in;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private int pushedBack = Integer.MIN_VALUE;
    private int rowNumber;
    private boolean ended;
    private List<String> header;

    public CsvReader(Reader in) {
        this.in = in;
    }

    /** One record: its row number and its fields, read by column name through {@link #get}. */
    public record Row(int number, List<String> header, List<String> fields) {

        /** The raw field under {@code column}; an empty string when the field is empty. */
        public String get(String column) {
            int index = header.indexOf(column);
            if (index < 0) {
                throw new IllegalArgumentException("No column " + column);
            }
            return fields.get(index);
        }

        /** The field under {@code column} without surrounding blanks, or empty when blank or no such column. */
        public Optional<String> value(String column) {
            int index = header.indexOf(column);
            if (index < 0) {
                return Optional.empty();
            }
            String value = fields.get(index).strip();
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
    }

    /** The column names of the first row, stripped of blanks; they must be present and distinct. */
    public List<String> header() {
        if (header == null) {
            List<String> names = readRecord();
            if (names == null || names.size() == 1 && names.getFirst().isBlank()) {
                throw new CsvFormatException(1, "the header row is missing");
            }
            List<String> stripped = names.stream().map(String::strip).toList();
            var seen = new HashSet<String>();
            for (String name : stripped) {
                if (name.isEmpty()) {
                    throw new CsvFormatException(1, "a column name is empty");
                }
                if (!seen.add(name)) {
                    throw new CsvFormatException(1, "column " + name + " appears twice");
                }
            }
            header = stripped;
        }
        return header;
    }

    /** The next non-blank record, or empty at the end of the input. */
    public Optional<Row> next() {
        List<String> columns = header();
        while (true) {
            List<String> fields = readRecord();
            if (fields == null) {
                return Optional.empty();
            }
            if (fields.size() == 1 && fields.getFirst().isEmpty()) {
                continue;
            }
            if (fields.size() != columns.size()) {
                throw new CsvFormatException(rowNumber,
                        "expected " + columns.size() + " fields but found " + fields.size());
            }
            return Optional.of(new Row(rowNumber, columns, List.copyOf(fields)));
        }
    }

    /** Every remaining record; the first malformed one ends reading with its exception. */
    public List<Row> readAll() {
        List<Row> rows = new ArrayList<>();
        for (Optional<Row> row = next(); row.isPresent(); row = next()) {
            rows.add(row.get());
        }
        return rows;
    }

    /** Reads one record; null at end of input. Consumes the whole record before reporting a stray quote. */
    private List<String> readRecord() {
        if (ended) {
            return null;
        }
        int c = read();
        if (rowNumber == 0 && c == '\uFEFF') {
            c = read();
        }
        if (c == EOF) {
            ended = true;
            return null;
        }
        rowNumber++;
        List<String> fields = new ArrayList<>();
        int fieldCount = 0;
        StringBuilder field = new StringBuilder();
        String problem = null;
        boolean quoted = false;      // inside a quoted field
        boolean wasQuoted = false;   // the current field began with a quote and it has closed
        while (true) {
            if (quoted) {
                if (c == EOF) {
                    ended = true;
                    throw new CsvFormatException(rowNumber, "a quoted field is not closed");
                }
                if (c == '"') {
                    int after = read();
                    if (after == '"') {
                        problem = append(field, '"', problem);
                    } else {
                        quoted = false;
                        wasQuoted = true;
                        c = after;
                        continue;
                    }
                } else {
                    problem = append(field, (char) c, problem);
                }
                c = read();
                continue;
            }
            if (c == ',') {
                problem = addField(fields, ++fieldCount, field, problem);
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r' || c == EOF) {
                if (c == '\r') {
                    int after = read();
                    if (after != '\n') {
                        unread(after);
                    }
                }
                if (c == EOF) {
                    ended = true;
                }
                problem = addField(fields, ++fieldCount, field, problem);
                if (problem != null) {
                    throw new CsvFormatException(rowNumber, problem);
                }
                return fields;
            } else if (c == '"' && field.isEmpty() && !wasQuoted) {
                quoted = true;
            } else {
                if (problem == null && (wasQuoted || c == '"')) {
                    problem = wasQuoted ? "text after a closing quote" : "a quote inside an unquoted field";
                }
                problem = append(field, (char) c, problem);
            }
            c = read();
        }
    }

    /** Appends a character unless the field is already at its limit; returns the record's problem. */
    private static String append(StringBuilder field, char c, String problem) {
        if (field.length() < MAX_FIELD_CHARS) {
            field.append(c);
            return problem;
        }
        return problem != null ? problem : "a field is longer than " + MAX_FIELD_CHARS + " characters";
    }

    /** Keeps a finished field unless the record already has too many; returns the record's problem. */
    private static String addField(List<String> fields, int count, StringBuilder field, String problem) {
        if (count <= MAX_FIELDS) {
            fields.add(field.toString());
            return problem;
        }
        return problem != null ? problem : "a row has more than " + MAX_FIELDS + " fields";
    }

    /** The next character, read through a buffer of our own (no lock per character, unlike BufferedReader). */
    private int read() {
        if (pushedBack != Integer.MIN_VALUE) {
            int c = pushedBack;
            pushedBack = Integer.MIN_VALUE;
            return c;
        }
        if (position == limit) {
            try {
                int n = in.read(buffer, 0, buffer.length);
                if (n <= 0) {
                    return EOF;
                }
                position = 0;
                limit = n;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return buffer[position++];
    }

    private void unread(int c) {
        pushedBack = c;
    }
}
