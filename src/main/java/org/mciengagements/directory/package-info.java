/**
 * The customer directory loaded by operators: tenants (with verified domains), TPIDs, Azure
 * subscriptions and MSX opportunities, each one row per customer key with free attributes that
 * eligibility criteria read. A domain becomes a tenant key through {@link org.mciengagements.directory.TenantResolver}s.
 */
package org.mciengagements.directory;
