package org.mciengagements.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** Which way mail leaves, by configuration. */
class MailConfigurationTest {

    static final String FROM = "MCI Engagements <no-reply@mci-engagements.example>";

    @Test
    void theDevMailboxWinsEvenWhenSmtpIsConfigured() {
        assertThat(new MailConfiguration().mailDelivery(true, FROM, smtp())).isSameAs(MailDelivery.DEV_MAILBOX);
    }

    @Test
    void aConfiguredMailServerIsUsedWhenTheDevMailboxIsOff() {
        MailDelivery delivery = new MailConfiguration().mailDelivery(false, FROM, smtp());
        assertThat(delivery).isInstanceOf(SmtpDelivery.class);
        assertThat(delivery.available()).isTrue();
    }

    @Test
    void withNeitherMailWaitsInTheOutbox() {
        MailDelivery delivery = new MailConfiguration().mailDelivery(false, FROM, none());
        assertThat(delivery).isSameAs(MailDelivery.UNCONFIGURED);
        assertThat(delivery.available()).isFalse();
    }

    @Test
    void aMalformedFromAddressStopsTheStartWithTheSettingsName() {
        assertThatThrownBy(() -> new MailConfiguration().mailDelivery(false, "MCI Engagements <no-reply", smtp()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mci.mail.from");
    }

    private static ObjectProvider<JavaMailSender> smtp() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("mailSender", new JavaMailSenderImpl());
        return beans.getBeanProvider(JavaMailSender.class);
    }

    private static ObjectProvider<JavaMailSender> none() {
        return new StaticListableBeanFactory().getBeanProvider(JavaMailSender.class);
    }
}
