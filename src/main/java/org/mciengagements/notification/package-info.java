/**
 * Email, reliably. A state change that should tell someone writes an {@link
 * org.mciengagements.notification.Email} to the outbox in its own transaction: the mail exists
 * exactly when the change does. The outbox's dedupe key names the state change, so one change is
 * never queued twice. A background sender, safe on any number of servers, delivers due rows over
 * SMTP with retries and backoff; in the embedded demo run mail goes to the dev mailbox page.
 */
package org.mciengagements.notification;
