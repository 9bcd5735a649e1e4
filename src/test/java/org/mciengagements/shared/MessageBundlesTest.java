package org.mciengagements.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.CustomersPage;
import org.mciengagements.eligibility.ReasonCode;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.EngagementType;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.notification.DevMailbox;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRole;

/**
 * The pages speak English, Dutch and Turkish (SPEC §14): every bundle must carry every English key, with
 * text, valid MessageFormat patterns and the same arguments, and every key the templates and enums ask
 * for must exist. A missing key would otherwise only show up as an exception or a raw key on a page.
 */
class MessageBundlesTest {

    private static final Locale ENGLISH = Locale.ENGLISH;

    /** Every bundle by its locale; English (the default file) first. */
    private static final Map<Locale, Properties> BUNDLES = new LinkedHashMap<>();

    static {
        BUNDLES.put(ENGLISH, load("i18n/messages.properties"));
        BUNDLES.put(Locale.of("nl"), load("i18n/messages_nl.properties"));
        BUNDLES.put(Locale.of("tr"), load("i18n/messages_tr.properties"));
    }

    private static final Path TEMPLATES = Path.of("src/main/resources/templates");

    /** {@code #{some.key}} or {@code #{some.key(args)}}; dynamic keys ({@code #{'prefix.' + ...}}) start with a quote. */
    private static final Pattern STATIC_KEY = Pattern.compile("#\\{\\s*([A-Za-z][A-Za-z0-9_.\\-]*)\\s*[}(]");

    private static Properties load(String resource) {
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, "missing bundle on the classpath: " + resource);
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties english() {
        return BUNDLES.get(ENGLISH);
    }

    private static Set<String> keys(Properties properties) {
        return new TreeSet<>(properties.stringPropertyNames());
    }

    @Test
    void everyLanguageHasExactlyTheEnglishKeys() {
        Set<String> expected = keys(english());
        List<String> problems = new ArrayList<>();
        BUNDLES.forEach((locale, bundle) -> {
            Set<String> actual = keys(bundle);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            Set<String> extra = new TreeSet<>(actual);
            extra.removeAll(expected);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                problems.add(locale + ": missing " + missing + ", extra " + extra);
            }
        });
        assertTrue(problems.isEmpty(), "bundles differ from the English keys:\n" + String.join("\n", problems));
    }

    @Test
    void noMessageIsEmpty() {
        List<String> empty = new ArrayList<>();
        BUNDLES.forEach((locale, bundle) -> keys(bundle).stream()
                .filter(key -> bundle.getProperty(key).isBlank())
                .forEach(key -> empty.add(locale + ": " + key)));
        assertTrue(empty.isEmpty(), "empty messages:\n" + String.join("\n", empty));
    }

    @Test
    void everyMessageWithBracesIsAValidMessageFormatWithTheEnglishArguments() {
        List<String> problems = new ArrayList<>();
        BUNDLES.forEach((locale, bundle) -> {
            for (String key : keys(bundle)) {
                String value = bundle.getProperty(key);
                String englishValue = english().getProperty(key);
                if (!value.contains("{") && (englishValue == null || !englishValue.contains("{"))) {
                    continue;
                }
                try {
                    new MessageFormat(value, locale);
                } catch (IllegalArgumentException e) {
                    problems.add(locale + ": " + key + " is not a valid MessageFormat pattern (" + e.getMessage() + ")");
                    continue;
                }
                if (englishValue != null) {
                    Set<Integer> expected = argumentIndexes(englishValue);
                    Set<Integer> actual = argumentIndexes(value);
                    if (!expected.equals(actual)) {
                        problems.add(locale + ": " + key + " uses arguments " + actual + ", English uses " + expected);
                    }
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyKeyATemplateNamesExistsInEnglish() throws IOException {
        assertTrue(Files.isDirectory(TEMPLATES), "run from the project directory: " + TEMPLATES.toAbsolutePath());
        Map<String, Set<String>> missing = new TreeMap<>();
        int found = 0;
        try (Stream<Path> files = Files.walk(TEMPLATES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".html")).sorted().toList()) {
                Matcher m = STATIC_KEY.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    found++;
                    if (!english().containsKey(m.group(1))) {
                        missing.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(TEMPLATES.relativize(file).toString());
                    }
                }
            }
        }
        assertTrue(found > 0, "no #{...} message keys found under " + TEMPLATES.toAbsolutePath());
        assertTrue(missing.isEmpty(), "keys used in templates but missing from messages.properties: " + missing);
    }

    @Test
    void everyKeyBuiltFromAnEnumExistsForEveryValue() {
        Map<String, Enum<?>[]> families = new LinkedHashMap<>();
        families.put("status.", ClaimStatus.values());
        families.put("reviewReason.", org.mciengagements.claim.ReviewReason.values());
        families.put("reviewDecision.", org.mciengagements.review.Reviews.Decision.values());
        families.put("submissionKind.", org.mciengagements.claim.ProofDocuments.Kind.values());
        families.put("identifierType.", IdentifierType.values());
        families.put("engagementType.", EngagementType.values());
        families.put("paymentModel.", PaymentModel.values());
        families.put("availability.", Availability.values());
        families.put("eligibility.reason.", ReasonCode.values());
        families.put("identifier.invalid.", IdentifierType.values());
        families.put("customers.tab.", CustomersPage.Tab.values());
        families.put("customers.intro.", CustomersPage.Tab.values());
        families.put("customers.empty.", CustomersPage.Tab.values());
        families.put("deadline.", ClaimView.Deadline.Kind.values());
        families.put("mailbox.status.", DevMailbox.Status.values());
        families.put("referralStatus.", org.mciengagements.referral.ReferralStatus.values());
        families.put("referralSubStatus.", org.mciengagements.referral.ReferralSubStatus.values());
        families.put("referralDecision.", org.mciengagements.referral.ReferralDecision.values());
        families.put("referral.decided.", org.mciengagements.referral.ReferralDecision.values());
        families.put("referralAction.", org.mciengagements.referral.ReferralAction.values());
        families.put("referralReason.", org.mciengagements.referral.ReferralRules.Reason.values());
        families.put("enrollment.", org.mciengagements.program.Enrollment.values());
        families.put("locations.changed.", org.mciengagements.program.Enrollment.values());
        families.put("enrollmentAction.", org.mciengagements.program.EnrollmentAction.values());
        families.put("location.refusal.", org.mciengagements.security.LocationRefusal.values());
        families.put("team.role.short.", org.mciengagements.security.TeamRoles.Role.values());
        families.put("role.", Stream.concat(Arrays.stream(GlobalRole.values()), Arrays.stream(LocationRole.values()))
                .toArray(Enum<?>[]::new));

        Set<String> missing = new TreeSet<>();
        families.forEach((prefix, values) -> {
            assertFalse(values.length == 0, "no values for " + prefix);
            for (Enum<?> value : values) {
                if (!english().containsKey(prefix + value.name())) {
                    missing.add(prefix + value.name());
                }
            }
        });
        // The other languages are held to the English keys by everyLanguageHasExactlyTheEnglishKeys.
        assertEquals(Set.of(), missing, "enum-based keys missing from messages.properties");
    }

    @Test
    void argumentIndexesAreReadOutsideQuotesAndInsideChoices() {
        assertEquals(Set.of(0), argumentIndexes("{0,choice,0#none|1#one|1<{0} many}"));
        assertEquals(Set.of(1), argumentIndexes("limit of {1} claims for the engagement''s customer"));
        assertEquals(Set.of(), argumentIndexes("quoted '{0}' is text"));
        assertEquals(Set.of(0, 1), argumentIndexes("from {0} to { 1 }"));
    }

    /**
     * The argument indexes a pattern refers to, at any depth (choice sub-patterns included), skipping
     * quoted text: {@code ''} is a literal apostrophe, a single {@code '} starts or ends a quoted run.
     */
    static Set<Integer> argumentIndexes(String pattern) {
        Set<Integer> indexes = new TreeSet<>();
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '{' && !quoted) {
                int j = i + 1;
                while (j < pattern.length() && Character.isWhitespace(pattern.charAt(j))) {
                    j++;
                }
                int start = j;
                while (j < pattern.length() && Character.isDigit(pattern.charAt(j))) {
                    j++;
                }
                if (j > start) {
                    indexes.add(Integer.parseInt(pattern.substring(start, j)));
                }
            }
        }
        return indexes;
    }
}
