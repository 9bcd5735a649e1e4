package org.mciengagements.directory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Directory attributes as criteria expect them: CEL distinguishes {@code int} (Java {@link Long})
 * from {@code double}, so every integral JSON number becomes a Long and every other a Double. An
 * integer too large for a Long becomes a Double too: approximate, never wrapped around to another value.
 */
public final class Attributes {

    private Attributes() {}

    public static Map<String, Object> parse(JsonMapper json, String text) {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, Object> raw = json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
        Map<String, Object> normalized = new LinkedHashMap<>();
        raw.forEach((k, v) -> normalized.put(k, normalize(v)));
        return normalized;
    }

    static Object normalize(Object value) {
        return switch (value) {
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger b -> b.bitLength() < Long.SIZE ? (Object) b.longValue() : (Object) b.doubleValue();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.stripTrailingZeros().scale() <= 0 ? normalize(d.toBigIntegerExact())
                    : (Object) d.doubleValue();
            case null, default -> value;
        };
    }
}
