package org.mciengagements.notification;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test mail: the test-only template {@code templates/mail/outbox-test.html} (subject
 * {@code mail.outbox-test.subject} from {@code mail-test/messages*.properties}), and reading what
 * an SMTP server received.
 */
public final class TestMails {

    /** Add to a test context's properties so the test template has its subject. */
    public static final String MESSAGES = "spring.messages.basename=i18n/messages,mail-test/messages";

    private TestMails() {}

    public static Email email(String dedupeKey, String to, String language, String name, String link) {
        // Subject arguments are the model's values in order, so the order is fixed here.
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("name", name);
        model.put("link", link);
        return new Email(dedupeKey, null, "outbox-test", to, language, model);
    }

    /** A port nobody listens on right now, for a mail server that must keep its port across restarts. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Message-ID a dedupe key must get, written out independently of the sender. */
    public static String expectedMessageId(String dedupeKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(dedupeKey.getBytes(StandardCharsets.UTF_8));
            return "<" + HexFormat.of().formatHex(hash) + "@mci-engagements>";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text of each leaf part by content type ({@code text/plain}, {@code text/html}). */
    public static Map<String, String> parts(MimeMessage message) {
        try {
            Map<String, String> parts = new LinkedHashMap<>();
            collect(message.getContent(), message.getContentType(), parts);
            return parts;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(Object content, String contentType, Map<String, String> parts)
            throws MessagingException, IOException {
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                collect(part.getContent(), part.getContentType(), parts);
            }
        } else {
            parts.put(contentType.split(";")[0].trim().toLowerCase(java.util.Locale.ROOT), String.valueOf(content));
        }
    }
}
