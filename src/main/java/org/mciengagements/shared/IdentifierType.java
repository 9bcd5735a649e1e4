package org.mciengagements.shared;

/** The ways a partner may name a customer when nominating it (SPEC §3). */
public enum IdentifierType {
    DOMAIN(CustomerKey.Kind.TENANT),
    TENANT_ID(CustomerKey.Kind.TENANT),
    TPID(CustomerKey.Kind.TPID),
    AZURE_SUBSCRIPTION_ID(CustomerKey.Kind.SUBSCRIPTION),
    MSX_OPPORTUNITY_ID(CustomerKey.Kind.OPPORTUNITY);

    private final CustomerKey.Kind keyKind;

    IdentifierType(CustomerKey.Kind keyKind) {
        this.keyKind = keyKind;
    }

    /** The kind of customer key this identifier leads to; a domain leads to its tenant. */
    public CustomerKey.Kind keyKind() {
        return keyKind;
    }
}
