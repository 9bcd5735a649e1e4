package org.mciengagements.shared;

import java.util.Locale;
import java.util.Objects;

/**
 * The subject of eligibility: one of {@code TENANT:<guid>}, {@code TPID:<n>},
 * {@code SUBSCRIPTION:<guid>}, {@code OPPORTUNITY:<id>}. A domain is never a key: it is resolved
 * to its tenant first. Keys of the same customer are independent; nothing cascades between them.
 */
public record CustomerKey(Kind kind, String value) implements Comparable<CustomerKey> {

    public enum Kind { TENANT, TPID, SUBSCRIPTION, OPPORTUNITY }

    public CustomerKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
    }

    /** The key of an identifier that names a key directly; a DOMAIN must be resolved instead. */
    public static CustomerKey of(CustomerIdentifier identifier) {
        if (identifier.type() == IdentifierType.DOMAIN) {
            throw new IllegalArgumentException("A domain is resolved to its tenant; it is not a customer key");
        }
        return new CustomerKey(identifier.type().keyKind(), identifier.value());
    }

    public static CustomerKey tenant(String tenantId) {
        return new CustomerKey(Kind.TENANT, tenantId.toLowerCase(Locale.ROOT));
    }

    /** Parses the stored form {@code KIND:value}. */
    public static CustomerKey parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("Not a customer key: " + text);
        }
        return new CustomerKey(Kind.valueOf(text.substring(0, colon)), text.substring(colon + 1));
    }

    /** The identifier type a partner would use to name this key directly. */
    public IdentifierType directIdentifierType() {
        return switch (kind) {
            case TENANT -> IdentifierType.TENANT_ID;
            case TPID -> IdentifierType.TPID;
            case SUBSCRIPTION -> IdentifierType.AZURE_SUBSCRIPTION_ID;
            case OPPORTUNITY -> IdentifierType.MSX_OPPORTUNITY_ID;
        };
    }

    @Override
    public String toString() {
        return kind + ":" + value;
    }

    @Override
    public int compareTo(CustomerKey other) {
        return toString().compareTo(other.toString());
    }
}
