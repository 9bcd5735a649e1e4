package org.mciengagements.directory;

/**
 * A CSV record that cannot be read. {@code row} counts records the way a spreadsheet numbers its
 * rows: the header is row 1, and a quoted field spanning several lines is still one row.
 */
public class CsvFormatException extends RuntimeException {

    private final int row;

    public CsvFormatException(int row, String message) {
        super("row " + row + ": " + message);
        this.row = row;
    }

    public int row() {
        return row;
    }
}
