package org.mciengagements.directory;

/**
 * A CSV record that cannot be read. {@code row} counts records the way a spreadsheet numbers its
 * rows: the header is row 1, and a quoted field spanning several lines is still one row.
 */
public class CsvFormatException extends RuntimeException {

    private final int row;
    private final String reason;

    public CsvFormatException(int row, String reason) {
        super("row " + row + ": " + reason);
        this.row = row;
        this.reason = reason;
    }

    public int row() {
        return row;
    }

    /** What is wrong, without the row number. */
    public String reason() {
        return reason;
    }
}
