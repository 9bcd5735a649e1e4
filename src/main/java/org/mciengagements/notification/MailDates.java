package org.mciengagements.notification;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** Dates in mails: the recipient has no account and no time zone, so mails say UTC explicitly. */
public final class MailDates {

    private MailDates() {}

    public static String dateTime(Instant instant, String language) {
        return DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG, FormatStyle.SHORT)
                .withLocale(Locale.forLanguageTag(language)).withZone(ZoneOffset.UTC).format(instant) + " UTC";
    }
}
