package org.mciengagements.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

class RememberingPasswordEncoderTest {

    /** BCrypt at the cheapest cost, counting how often it is asked. */
    private static final class CountingBcrypt implements PasswordEncoder {
        final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(raw);
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            checks.incrementAndGet();
            return bcrypt.matches(raw, encoded);
        }
    }

    private final CountingBcrypt bcrypt = new CountingBcrypt();
    private final String hash = bcrypt.encode("demo");

    @Test
    void aVerifiedPasswordIsNotCheckedWithBcryptAgainWhileRemembered() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, Duration.ofMinutes(5), 100);
        assertThat(encoder.matches("demo", hash)).isTrue();
        assertThat(encoder.matches("demo", hash)).isTrue();
        assertThat(encoder.matches("demo", hash)).isTrue();
        assertThat(bcrypt.checks).hasValue(1);
    }

    @Test
    void wrongPasswordsAlwaysPayTheFullBcryptCheck() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, Duration.ofMinutes(5), 100);
        assertThat(encoder.matches("demo", hash)).isTrue();
        assertThat(encoder.matches("guess", hash)).isFalse();
        assertThat(encoder.matches("guess", hash)).isFalse();
        assertThat(bcrypt.checks).hasValue(3);
    }

    @Test
    void aChangedPasswordHashIsNeverMatchedByARememberedOldPassword() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, Duration.ofMinutes(5), 100);
        assertThat(encoder.matches("demo", hash)).isTrue();
        String changed = bcrypt.encode("new secret");
        assertThat(encoder.matches("demo", changed)).isFalse();
        assertThat(encoder.matches("new secret", changed)).isTrue();
    }

    @Test
    void aZeroTimeToLiveRemembersNothing() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, Duration.ZERO, 100);
        encoder.matches("demo", hash);
        encoder.matches("demo", hash);
        assertThat(bcrypt.checks).hasValue(2);
    }

    @Test
    void aFullMemoryIsEmptiedRatherThanGrowing() {
        PasswordEncoder encoder = new RememberingPasswordEncoder(bcrypt, Duration.ofMinutes(5), 2);
        String other = bcrypt.encode("other");
        String third = bcrypt.encode("third");
        encoder.matches("demo", hash);
        encoder.matches("other", other);
        encoder.matches("third", third); // memory full: emptied, then this one remembered
        encoder.matches("demo", hash);
        assertThat(bcrypt.checks).hasValue(4);
        encoder.matches("third", third);
        assertThat(bcrypt.checks).hasValue(4);
    }
}
