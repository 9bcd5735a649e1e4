package org.mciengagements.claim.web;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.mciengagements.eligibility.Reason;
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

    ReasonTexts(MessageSource messages, Formats formats) {
        this.messages = messages;
        this.formats = formats;
    }

    public List<ReasonView> describe(List<Reason> reasons, ZoneId zone) {
        Locale locale = LocaleContextHolder.getLocale();
        return reasons.stream().map(r -> new ReasonView(r.code().name(),
                messages.getMessage(r.messageKey(), new Object[] {
                        r.until() == null ? "" : formats.dateTime(r.until(), zone),
                        r.limit() == null ? "" : r.limit()}, locale),
                r.failedCriteria().stream().map(c -> c.name() + ": " + c.message()).toList(),
                r.until())).toList();
    }
}
