package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static CsvReader csv(String text) {
        return new CsvReader(new StringReader(text));
    }

    @Test
    void quotedFieldKeepsItsCommasQuotesAndLineBreaks() {
        var rows = csv("""
                id,name,note
                1,"Lucerne Publishing, Inc.","said ""hi""
                on two lines"
                """).readAll();

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("name")).isEqualTo("Lucerne Publishing, Inc.");
            assertThat(row.get("note")).isEqualTo("said \"hi\"\non two lines");
        });
    }

    @Test
    void emptyOptionalFieldsReadAsEmpty() {
        var row = csv("tenant_id,tpid,domains\r\nabc,,\r\n").readAll().getFirst();

        assertThat(row.get("tpid")).isEmpty();
        assertThat(row.value("tpid")).isEmpty();
        assertThat(row.value("domains")).isEmpty();
        assertThat(row.value("tenant_id")).contains("abc");
    }

    @Test
    void rowNumbersCountRecordsLikeASpreadsheetIncludingBlankLines() {
        var rows = csv("a,b\n1,2\n\n\"x\ny\",3\n4,5").readAll();

        assertThat(rows).extracting(CsvReader.Row::number).containsExactly(2, 4, 5);
    }

    @Test
    void malformedRowIsReportedWithItsRowNumberAndReadingGoesOn() {
        var reader = csv("a,b\n1,2\n3,4,5\n6,7\n");

        assertThat(reader.next()).get().extracting(CsvReader.Row::fields).isEqualTo(List.of("1", "2"));
        assertThatThrownBy(reader::next)
                .isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("row 3")
                .extracting(e -> ((CsvFormatException) e).row()).isEqualTo(3);
        assertThat(reader.next()).get().extracting(CsvReader.Row::fields).isEqualTo(List.of("6", "7"));
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void strayQuoteIsMalformed() {
        var reader = csv("a,b\n\"1\"x,2\nab\"c,3\n4,5\n");

        assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class).hasMessageContaining("row 2");
        assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class).hasMessageContaining("row 3");
        assertThat(reader.next()).get().extracting(CsvReader.Row::number).isEqualTo(4);
    }

    @Test
    void unterminatedQuoteEndsTheFileAtTheRowItStarted() {
        var reader = csv("a,b\n1,\"open\n2,3\n");

        assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class).hasMessageContaining("row 2");
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void headerIsStrippedAndByteOrderMarkIgnored() {
        var reader = csv("\uFEFF tenant_id , name\nx,y\n");

        assertThat(reader.header()).containsExactly("tenant_id", "name");
        assertThat(reader.next()).get().extracting(r -> r.get("name")).isEqualTo("y");
    }

    @Test
    void duplicateOrMissingHeaderIsRowOne() {
        assertThatThrownBy(() -> csv("a,a\n1,2\n").header())
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("row 1");
        assertThatThrownBy(() -> csv("").header())
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("row 1");
    }

    @Test
    void anOverlongFieldMakesItsRowMalformedWithoutKeepingItAndReadingGoesOn() {
        String huge = "x".repeat(CsvReader.MAX_FIELD_CHARS + 10);
        var reader = csv("a,b\n1,\"" + huge + "\"\n2,3\n");

        assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class)
                .extracting(e -> ((CsvFormatException) e).reason())
                .isEqualTo("a field is longer than " + CsvReader.MAX_FIELD_CHARS + " characters");
        assertThat(reader.next()).get().extracting(CsvReader.Row::fields).isEqualTo(List.of("2", "3"));
    }

    @Test
    void aRowWithTooManyFieldsIsMalformed() {
        var reader = csv("a,b\n" + ",".repeat(CsvReader.MAX_FIELDS + 5) + "\n2,3\n");

        assertThatThrownBy(reader::next).isInstanceOf(CsvFormatException.class)
                .extracting(e -> ((CsvFormatException) e).row()).isEqualTo(2);
        assertThat(reader.next()).get().extracting(CsvReader.Row::number).isEqualTo(3);
    }
}
