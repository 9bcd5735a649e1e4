package org.mciengagements.directory;

import java.util.Optional;

/** Derives the tenant GUID (lower case) of a canonical domain name, if this resolver knows it. */
public interface TenantResolver {

    Optional<String> tenantOf(String domain);
}
