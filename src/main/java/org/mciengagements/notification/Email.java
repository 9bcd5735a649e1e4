package org.mciengagements.notification;

import java.util.Map;

/**
 * One email to queue.
 *
 * @param dedupeKey names the state change this email reports (e.g. {@code consent-request:42:7});
 *                  queuing the same key again is a no-op
 * @param template  the mail template, {@code templates/mail/<template>.html}, whose subject is the
 *                  message {@code mail.<template>.subject}
 * @param language  {@code en}, {@code nl} or {@code tr}
 * @param model     what the template shows
 */
public record Email(String dedupeKey, Long claimId, String template, String to, String language,
                    Map<String, Object> model) {}
