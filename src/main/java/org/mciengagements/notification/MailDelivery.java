package org.mciengagements.notification;

import jakarta.mail.MessagingException;

/**
 * How a rendered outbox row leaves the building. {@link OutboxSender} has one code path for every
 * setup; only this choice differs (see {@link MailConfiguration}).
 */
interface MailDelivery {

    /** Hands the mail over, or throws: the sender then keeps the row and retries it later. */
    void deliver(OutgoingMail mail) throws MessagingException;

    /** False when nothing can be delivered at all yet; rows then stay queued untouched. */
    default boolean available() {
        return true;
    }

    /**
     * One mail as it goes out.
     *
     * @param messageId the {@code Message-ID} header, derived from the dedupe key so that a repeat
     *                  after a crash carries the same id
     */
    record OutgoingMail(String messageId, String to, String subject, String text, String html) {}

    /** Dev mailbox: the outbox row itself is the delivered mail, shown on {@code /dev/mailbox}. */
    MailDelivery DEV_MAILBOX = mail -> { };

    /** Neither SMTP nor the dev mailbox is configured: mail waits in the outbox until one is. */
    MailDelivery UNCONFIGURED = new MailDelivery() {
        @Override
        public void deliver(OutgoingMail mail) throws MessagingException {
            throw new MessagingException("No mail server is configured (spring.mail.host)");
        }

        @Override
        public boolean available() {
            return false;
        }
    };
}
