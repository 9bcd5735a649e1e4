package org.mciengagements.directory.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.mciengagements.directory.DirectoryImports;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * An import's report as CSV (RFC 4180): {@code row,column,code,reason}, in file order. Cells a
 * spreadsheet would read as a formula are prefixed with an apostrophe: reasons quote the file's
 * own values, which must never run when the report is opened.
 */
final class ReportCsv {

    private ReportCsv() {}

    /** The report is small by construction (at most 10,000 problems are kept), so it is built in memory. */
    static ResponseEntity<String> download(DirectoryImports imports, DirectoryImports.ImportView view) {
        StringBuilder body = new StringBuilder(line(List.of("row", "column", "code", "reason")));
        imports.forEachProblem(view.id(), p -> body.append(line(List.of(String.valueOf(p.row()), p.column(), p.code(),
                p.reason()))));
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("directory-import-" + view.id() + "-report.csv").build().toString())
                .body(body.toString());
    }

    static String line(List<String> cells) {
        return cells.stream().map(ReportCsv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r");
        return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
