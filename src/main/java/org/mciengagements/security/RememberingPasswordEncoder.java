package org.mciengagements.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * BCrypt that remembers, for a short time, the credentials it has just verified. HTTP Basic sends
 * the password with every API request, and a BCrypt check costs tens of milliseconds of a core by
 * design; without this every API call would pay it. Only successes are remembered, so every wrong
 * guess still pays the full BCrypt cost. What is kept is an HMAC, under a random key made at start
 * and never stored, of the stored hash and the presented password: no password is kept, a changed
 * password (a new stored hash) is never matched by an old entry, and a removed account fails when
 * it is loaded, before any password check. Entries live {@code ttl}; the memory holds at most
 * {@code capacity} of them and is emptied when full. Per server, and only a shortcut: a server
 * without the entry simply checks BCrypt.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

    private final PasswordEncoder delegate;
    private final long ttlNanos;
    private final int capacity;
    /** Keyed once; each check works on a clone, since finding and keying a Mac per request cost more than the HMAC. */
    private final Mac keyedMac;
    private final Map<String, Long> verifiedUntil = new ConcurrentHashMap<>();

    RememberingPasswordEncoder(PasswordEncoder delegate, Duration ttl, int capacity) {
        this.delegate = delegate;
        this.ttlNanos = ttl.toNanos();
        this.capacity = capacity;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            this.keyedMac = Mac.getInstance("HmacSHA256");
            keyedMac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null || ttlNanos <= 0) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String fingerprint = fingerprint(rawPassword, encodedPassword);
        long now = System.nanoTime();
        Long until = verifiedUntil.get(fingerprint);
        if (until != null && now - until < 0) {
            return true;
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (verifiedUntil.size() >= capacity) {
                verifiedUntil.clear();
            }
            verifiedUntil.put(fingerprint, now + ttlNanos);
        } else if (until != null) {
            verifiedUntil.remove(fingerprint);
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private String fingerprint(CharSequence rawPassword, String encodedPassword) {
        try {
            Mac mac = (Mac) keyedMac.clone();
            mac.update(encodedPassword.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(rawPassword.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
