/**
 * The customer directory loaded by operators: tenants (with verified domains), TPIDs, Azure
 * subscriptions and MSX opportunities, each one row per customer key with free attributes that
 * eligibility criteria read. A domain becomes a tenant key through {@link org.mciengagements.directory.TenantResolver}s.
 *
 * <p>Directory files are CSV, one file per kind of key, read by {@link org.mciengagements.directory.CsvReader}
 * and loaded by {@link org.mciengagements.directory.DirectoryImport}: every identifier in its canonical
 * form, bad rows reported by their spreadsheet row number, column and a stable code, the good rows
 * streamed with COPY into a staging table and merged set-based, the whole file in one transaction.
 * {@link org.mciengagements.directory.DirectoryImports} runs operators' uploads as background jobs with
 * progress, a heartbeat and a stored report; the program loader uses the same load synchronously.
 */
package org.mciengagements.directory;
