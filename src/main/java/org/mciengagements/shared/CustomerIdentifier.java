package org.mciengagements.shared;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A customer identifier in canonical form. {@link #parse} is the only way to make one from user
 * input: it accepts exactly the formats of SPEC §3 and returns a reason code for anything else.
 */
public record CustomerIdentifier(IdentifierType type, String value) {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    /** ASCII only, matched before upper-casing: {@code ı}, {@code ſ} or {@code ß} must not become I, S or SS. */
    private static final Pattern OPPORTUNITY = Pattern.compile("7-[A-Za-z0-9]{10}");
    private static final Pattern ASCII_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final long MAX_TPID = 9_999_999_999L;

    /** The outcome of parsing: a canonical identifier, or the reason (a message key) it was refused. */
    public sealed interface Parsed permits Valid, Invalid {}

    public record Valid(CustomerIdentifier identifier) implements Parsed {}

    /** {@code reason} is a message key such as {@code identifier.invalid.DOMAIN}. */
    public record Invalid(String reason) implements Parsed {}

    public static Parsed parse(IdentifierType type, String raw) {
        if (type == null) {
            return new Invalid("identifier.type.required");
        }
        if (raw == null || raw.isBlank()) {
            return new Invalid("identifier.value.required");
        }
        String text = raw.strip();
        String canonical = switch (type) {
            case DOMAIN -> canonicalDomain(text);
            case TENANT_ID, AZURE_SUBSCRIPTION_ID -> GUID.matcher(text).matches() ? text.toLowerCase(Locale.ROOT) : null;
            case TPID -> canonicalTpid(text);
            case MSX_OPPORTUNITY_ID -> OPPORTUNITY.matcher(text).matches() ? text.toUpperCase(Locale.ROOT) : null;
        };
        return canonical == null
                ? new Invalid("identifier.invalid." + type.name())
                : new Valid(new CustomerIdentifier(type, canonical));
    }

    /** Parses a value already known to be valid (stored data, fixtures); throws otherwise. */
    public static CustomerIdentifier of(IdentifierType type, String raw) {
        return switch (parse(type, raw)) {
            case Valid valid -> valid.identifier();
            case Invalid invalid -> throw new IllegalArgumentException(invalid.reason() + ": " + raw);
        };
    }

    private static String canonicalTpid(String text) {
        if (!DIGITS.matcher(text).matches()) {
            return null;
        }
        String digits = text.replaceFirst("^0+", "");
        if (digits.isEmpty() || digits.length() > 10 || Long.parseLong(digits) > MAX_TPID) {
            return null;
        }
        return digits;
    }

    private static String canonicalDomain(String text) {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.length() > 253 * 4) {
            return null;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.length() > 253 || !ascii.contains(".")) {
            return null;
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !ASCII_LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return ascii;
    }
}
