package org.mciengagements.claim.web;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mciengagements.eligibility.Reason;
import org.mciengagements.eligibility.ReasonCode;
import org.mciengagements.shared.web.Formats;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** Eligibility reasons in words, for pages, API answers and CSV files alike. */
@Component
public class ReasonTexts {

    /** A reason as callers see it; {@code criteria} names each failed criterion with its message. */
    public record ReasonView(String code, String message, List<String> criteria, java.time.Instant until) {}

    private final MessageSource messages;
    private final Formats formats;
    /** Texts of reasons without a date or a limit, per language and reason (the key is the reason's code). */
    private final Map<Locale, Map<ReasonCode, String>> plain = new ConcurrentHashMap<>();

    ReasonTexts(MessageSource messages, Formats formats) {
        this.messages = messages;
        this.formats = formats;
    }

    public List<ReasonView> describe(List<Reason> reasons, ZoneId zone) {
        if (reasons.isEmpty()) {
            return List.of();
        }
        Locale locale = LocaleContextHolder.getLocale();
        return reasons.stream().map(r -> new ReasonView(r.code().name(), message(r, zone, locale),
                r.failedCriteria().stream().map(c -> c.name() + ": " + c.message()).toList(),
                r.until())).toList();
    }

    private String message(Reason reason, ZoneId zone, Locale locale) {
        if (reason.until() == null && reason.limit() == null) {
            // Most reasons on an Ineligible page read the same for every customer; formatting one
            // takes the message source's lock, once per reason of every row.
            return plain.computeIfAbsent(locale, l -> new ConcurrentHashMap<>())
                    .computeIfAbsent(reason.code(), c -> format(reason, zone, locale));
        }
        return format(reason, zone, locale);
    }

    private String format(Reason reason, ZoneId zone, Locale locale) {
        return messages.getMessage(reason.messageKey(), new Object[] {
                reason.until() == null ? "" : formats.dateTime(reason.until(), zone),
                reason.limit() == null ? "" : reason.limit()}, locale);
    }
}
