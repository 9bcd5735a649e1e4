/**
 * The customer directory loaded by operators: tenants (with verified domains), TPIDs, Azure
 * subscriptions and MSX opportunities, each one row per customer key with free attributes that
 * eligibility criteria read. A domain becomes a tenant key through {@link org.mciengagements.directory.TenantResolver}s.
 * Directory files are CSV, one file per kind of key, read by {@link org.mciengagements.directory.CsvReader}
 * and loaded by {@link org.mciengagements.directory.DirectoryImport}, which stores every identifier in its
 * canonical form and reports each bad row by its spreadsheet row number.
 */
package org.mciengagements.directory;
