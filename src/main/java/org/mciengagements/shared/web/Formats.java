package org.mciengagements.shared.web;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Formatting for pages ({@code ${@formats...}} in templates): instants in the user's time zone and
 * language, deadline countdowns against the program clock, and US dollar amounts.
 */
@Component("formats")
public class Formats {

    private final ProgramClock clock;
    private final MessageSource messages;

    Formats(ProgramClock clock, MessageSource messages) {
        this.clock = clock;
        this.messages = messages;
    }

    public String dateTime(Instant instant, ZoneId zone) {
        if (instant == null) {
            return "";
        }
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(locale()).withZone(zone).format(instant);
    }

    public String date(Instant instant, ZoneId zone) {
        if (instant == null) {
            return "";
        }
        return DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale()).withZone(zone).format(instant);
    }

    public String day(java.time.LocalDate day) {
        return day == null ? "" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale()).format(day);
    }

    /** "in 5 days", "in 3 hours", "overdue by 2 days", in the page's language. */
    public String countdown(Instant deadline) {
        if (deadline == null) {
            return "";
        }
        Duration left = Duration.between(clock.instant(), deadline);
        boolean overdue = left.isNegative();
        Duration size = left.abs();
        String amount = size.toDays() >= 1
                ? messages.getMessage("countdown.days", new Object[] {size.toDays()}, locale())
                : messages.getMessage("countdown.hours", new Object[] {Math.max(1, size.toHours())}, locale());
        return messages.getMessage(overdue ? "countdown.overdue" : "countdown.left", new Object[] {amount}, locale());
    }

    /** Whether a deadline has passed on the program clock. */
    public boolean overdue(Instant deadline) {
        return deadline != null && !clock.instant().isBefore(deadline);
    }

    /** Whether a deadline is less than 7 days away (pages highlight it). */
    public boolean soon(Instant deadline) {
        return deadline != null && Duration.between(clock.instant(), deadline).toDays() < 7;
    }

    /** An identifier as people read it: internationalized domains in Unicode, not punycode. */
    public String identifier(org.mciengagements.shared.IdentifierType type, String value) {
        if (type != org.mciengagements.shared.IdentifierType.DOMAIN || value == null || !value.contains("xn--")) {
            return value;
        }
        try {
            return java.net.IDN.toUnicode(value, java.net.IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    public String usd(BigDecimal amount) {
        if (amount == null) {
            return "";
        }
        NumberFormat format = NumberFormat.getNumberInstance(locale());
        format.setMinimumFractionDigits(2);
        format.setMaximumFractionDigits(2);
        return "USD " + format.format(amount);
    }

    /** A file size as people read it: "820 KB", "2.4 MB". */
    public String fileSize(long bytes) {
        NumberFormat format = NumberFormat.getNumberInstance(locale());
        format.setMaximumFractionDigits(1);
        return bytes < 1024 * 1024 ? format.format(Math.max(1, Math.round(bytes / 1024.0))) + " KB"
                : format.format(bytes / (1024.0 * 1024.0)) + " MB";
    }

    private static Locale locale() {
        return LocaleContextHolder.getLocale();
    }
}
