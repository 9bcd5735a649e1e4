package org.mciengagements.claim;

import java.util.List;
import java.util.Optional;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.CustomerKey;

/**
 * An identifier resolved to the customer key eligibility is judged on. A domain leads to its
 * tenant; when no tenant can be derived, {@code key} is empty and the partner must give a tenant
 * ID or a TPID instead.
 *
 * @param verifiedDomains the tenant's verified domains (tenant keys only), for the mismatch check
 */
public record ResolvedCustomer(CustomerIdentifier identifier, Optional<CustomerKey> key,
                               Optional<DirectoryCustomer> entry, List<String> verifiedDomains) {

    public boolean tenantMustBeSupplied() {
        return key.isEmpty();
    }

    public String displayName() {
        return entry.map(DirectoryCustomer::displayName).orElse(identifier.value());
    }

    /**
     * The contact's email domain is not one of the tenant's verified domains (nor a subdomain of
     * one). Only tenant IDs are checked: a domain identifier was itself verified, and other key
     * kinds have no domains.
     */
    public boolean domainMismatch(String contactEmail) {
        // An unknown tenant is refused as CUSTOMER_NOT_FOUND; asking for a mismatch reason first would
        // only make the partner explain something that cannot go ahead anyway.
        if (identifier.type() != org.mciengagements.shared.IdentifierType.TENANT_ID || contactEmail == null
                || entry.isEmpty()) {
            return false;
        }
        int at = contactEmail.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String typed = contactEmail.substring(at + 1).strip();
        // Verified domains are stored canonical (IDNA ASCII); an email may carry the Unicode form.
        String emailDomain = switch (CustomerIdentifier.parse(org.mciengagements.shared.IdentifierType.DOMAIN, typed)) {
            case CustomerIdentifier.Valid valid -> valid.identifier().value();
            case CustomerIdentifier.Invalid invalid -> typed.toLowerCase(java.util.Locale.ROOT);
        };
        return verifiedDomains.stream().noneMatch(d -> emailDomain.equals(d) || emailDomain.endsWith("." + d));
    }
}
