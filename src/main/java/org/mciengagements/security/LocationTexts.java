package org.mciengagements.security;

import java.time.ZoneId;
import java.util.Optional;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.shared.web.Formats;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Says, in the caller's language, why a location cannot be picked: "Suspended on 3 Mar 2026:
 * overdue compliance review", "Not enrolled in MCI", "You have no incentives role on this
 * location". Pages and the API use the same words.
 */
@Component
public class LocationTexts {

    private final MessageSource messages;
    private final Formats formats;

    LocationTexts(MessageSource messages, Formats formats) {
        this.messages = messages;
        this.formats = formats;
    }

    /** Why the caller may not pick the location; empty when they may. */
    public Optional<String> refusal(CurrentUser.LocationAccess access, ZoneId zone) {
        return access.refusal().map(r -> text(r, access.location(), zone));
    }

    /** The refusal's text for a location, with the date and reason of its last enrollment change when known. */
    public String text(LocationRefusal refusal, Location location, ZoneId zone) {
        String key = "location.refusal." + refusal.name();
        String day = location.enrollmentChangedAt() == null ? null : formats.date(location.enrollmentChangedAt(), zone);
        String reason = location.enrollmentReason();
        if (refusal == LocationRefusal.LOCATION_SUSPENDED && day != null) {
            return reason == null ? message(key + ".on", day) : message(key + ".because", day, reason);
        }
        if (refusal == LocationRefusal.LOCATION_NOT_ENROLLED && day != null && reason != null) {
            return message(key + ".because", day, reason);
        }
        return message(key);
    }

    /** The enrollment as a short status with its date and reason, for any location (operators, team). */
    public String enrollment(Location location, ZoneId zone) {
        return switch (location.enrollment()) {
            case ENROLLED -> message("enrollment." + Enrollment.ENROLLED.name());
            case SUSPENDED -> text(LocationRefusal.LOCATION_SUSPENDED, location, zone);
            case NOT_ENROLLED -> text(LocationRefusal.LOCATION_NOT_ENROLLED, location, zone);
        };
    }

    /** "4100231 · Contoso Consulting Amsterdam (NL)". */
    public static String label(Location location) {
        return location.id() + " · " + location.name() + " (" + location.country() + ")";
    }

    private String message(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }
}
