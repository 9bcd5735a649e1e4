package org.mciengagements.notification;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import org.springframework.mail.javamail.JavaMailSender;

/** Sends over SMTP with Spring's {@link JavaMailSender}: multipart/alternative, text then HTML. */
final class SmtpDelivery implements MailDelivery {

    private final JavaMailSender mailSender;
    private final InternetAddress from;

    SmtpDelivery(JavaMailSender mailSender, InternetAddress from) {
        this.mailSender = mailSender;
        this.from = from;
    }

    @Override
    public void deliver(OutgoingMail mail) throws MessagingException {
        MimeMessage message = mailSender.createMimeMessage();
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        // Least faithful first: clients show the last alternative they can render.
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        message.setContent(alternative);
        // JavaMailSenderImpl keeps an explicitly set Message-ID instead of generating a random one.
        message.setHeader("Message-ID", mail.messageId());
        mailSender.send(message);
    }
}
