package org.mciengagements.claim.web;

import java.io.IOException;
import java.io.Writer;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.mciengagements.claim.CustomersPage;
import org.mciengagements.shared.web.Formats;
import org.springframework.stereotype.Component;

/**
 * CSV export of a Customers page tab (RFC 4180). Cells that a spreadsheet would read as a formula
 * are prefixed with an apostrophe, so an exported customer name can never run as one.
 */
@Component
class CustomersCsv {

    private final ReasonTexts reasons;
    private final Formats formats;

    CustomersCsv(ReasonTexts reasons, Formats formats) {
        this.reasons = reasons;
        this.formats = formats;
    }

    void write(CustomersPage.Result result, ZoneId zone, Writer out) throws IOException {
        out.write(line(List.of("claimId", "friendlyName", "customerName", "identifierType", "identifierValue",
                "customerKey", "locationId", "status", "deadline", "deadlineAt", "reasons")));
        for (CustomersPage.Row row : result.rows()) {
            out.write(line(List.of(
                    row.claimId() == null ? "" : row.claimId().toString(),
                    nullToEmpty(row.friendlyName()), row.customerName(), row.identifierType().name(),
                    row.identifierValue(), row.customerKey(), nullToEmpty(row.locationId()),
                    row.status() == null ? "" : row.status().name(),
                    row.deadline() == null ? "" : row.deadline().kind().name(),
                    row.deadline() == null ? "" : formats.dateTime(row.deadline().at(), zone),
                    reasons.describe(row.reasons(), zone).stream()
                            .map(r -> r.code() + (r.criteria().isEmpty() ? "" : " (" + String.join("; ", r.criteria()) + ")"))
                            .collect(Collectors.joining(" | ")))));
        }
        out.flush();
    }

    String filename(String engagementId, CustomersPage.Tab tab) {
        return engagementId + "-" + tab.name().toLowerCase() + ".csv";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String line(List<String> cells) {
        return cells.stream().map(CustomersCsv::cell).collect(Collectors.joining(",")) + "\r\n";
    }

    static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        boolean quote = safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r");
        return quote ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
