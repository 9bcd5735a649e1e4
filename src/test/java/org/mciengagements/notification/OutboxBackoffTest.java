package org.mciengagements.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutboxBackoffTest {

    @Test
    void theWaitDoublesFromThirtySecondsUpToAnHour() {
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(OutboxSender::backoff).toList()).containsExactly(
                Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4),
                Duration.ofMinutes(8), Duration.ofMinutes(16), Duration.ofMinutes(32), Duration.ofHours(1),
                Duration.ofHours(1));
    }

    @Test
    void aMailThatNeverGoesThroughIsStillRetriedHourly() {
        assertThat(OutboxSender.backoff(OutboxSender.ALARM_AFTER_ATTEMPTS)).isEqualTo(Duration.ofHours(1));
        assertThat(OutboxSender.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everyAttemptAtOneStateChangeCarriesTheSameMessageId() {
        assertThat(OutboxSender.messageId("consent-request:42:7"))
                .isEqualTo(OutboxSender.messageId("consent-request:42:7"))
                .isNotEqualTo(OutboxSender.messageId("consent-request:42:8"))
                .matches("<[0-9a-f]{64}@mci-engagements>");
    }
}
