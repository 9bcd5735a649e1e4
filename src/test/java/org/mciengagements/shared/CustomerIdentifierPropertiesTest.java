package org.mciengagements.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.mciengagements.shared.CustomerIdentifier.Invalid;
import org.mciengagements.shared.CustomerIdentifier.Parsed;
import org.mciengagements.shared.CustomerIdentifier.Valid;

/** The identifier formats and canonical forms of SPEC §3, as properties over generated input. */
class CustomerIdentifierPropertiesTest {

    private static final String HEX = "0123456789abcdefABCDEF";
    private static final String ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern CANONICAL_DOMAIN =
            Pattern.compile("(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static String valid(IdentifierType type, String raw) {
        Parsed parsed = CustomerIdentifier.parse(type, raw);
        assertThat(parsed).as("%s %s", type, raw).isInstanceOf(Valid.class);
        CustomerIdentifier identifier = ((Valid) parsed).identifier();
        assertThat(identifier.type()).isEqualTo(type);
        return identifier.value();
    }

    private static void refused(IdentifierType type, String raw) {
        assertThat(CustomerIdentifier.parse(type, raw)).as("%s '%s'", type, raw)
                .isEqualTo(new Invalid("identifier.invalid." + type.name()));
    }

    // ---- every type: canonical forms are fixed points; nothing throws ----

    @Property
    @Label("parse(canonical) == canonical for every type")
    void parsingIsIdempotent(@ForAll("validInputs") Tuple2<IdentifierType, String> input) {
        String canonical = valid(input.get1(), input.get2());

        assertThat(valid(input.get1(), canonical)).isEqualTo(canonical);
    }

    @Provide
    Arbitrary<Tuple2<IdentifierType, String>> validInputs() {
        return Arbitraries.oneOf(
                guids().map(g -> Tuple.of(IdentifierType.TENANT_ID, g)),
                guids().map(g -> Tuple.of(IdentifierType.AZURE_SUBSCRIPTION_ID, g)),
                Arbitraries.longs().between(1, 9_999_999_999L).map(n -> Tuple.of(IdentifierType.TPID, "00" + n)),
                opportunityIds().map(o -> Tuple.of(IdentifierType.MSX_OPPORTUNITY_ID, o)),
                asciiDomains().map(d -> Tuple.of(IdentifierType.DOMAIN, d)),
                Arbitraries.of("bücher.example", "Örnek.com.tr", "例え.jp", "straße.de.")
                        .map(d -> Tuple.of(IdentifierType.DOMAIN, d)));
    }

    @Property(tries = 2000)
    void arbitraryStringsNeverThrowAndAcceptedValuesAreCanonical(@ForAll IdentifierType type,
                                                                 @ForAll("garbage") String raw) {
        Parsed parsed = CustomerIdentifier.parse(type, raw);

        assertThat(parsed).isNotNull();
        switch (parsed) {
            case Valid v -> assertThat(valid(type, v.identifier().value())).isEqualTo(v.identifier().value());
            case Invalid i -> assertThat(i.reason()).isIn("identifier.invalid." + type.name(),
                    "identifier.value.required");
        }
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(300),
                Arbitraries.strings().withChars("aZ0-._ \t\u3002\uFF0E\u00DF\u0131\u017F\u00FC\u4F8B\u200D\uFFFD\uD83D\uDE00"
                        + "\uD800\u0000\u202E").ofMaxLength(80),
                Arbitraries.strings().withCharRange('\u0000', '\u024F').ofMaxLength(1100),
                Arbitraries.strings().withChars("a.").ofMinLength(240).ofMaxLength(1100),
                Arbitraries.strings().withChars("7-AZaz09\u0131\u00DF").ofMaxLength(14),
                Arbitraries.strings().numeric().ofMaxLength(30));
    }

    // ---- GUIDs ----

    @Property
    void guidsInAnyCaseCanonicalizeToLowerCase(@ForAll("guids") String guid) {
        for (IdentifierType type : List.of(IdentifierType.TENANT_ID, IdentifierType.AZURE_SUBSCRIPTION_ID)) {
            assertThat(valid(type, guid)).isEqualTo(guid.toLowerCase(Locale.ROOT));
            assertThat(valid(type, "  " + guid + "\n")).as("surrounding blanks are ignored")
                    .isEqualTo(guid.toLowerCase(Locale.ROOT));
        }
    }

    @Property
    void malformedGuidsAreRefused(@ForAll("guids") String guid, @ForAll @IntRange(min = 0, max = 35) int at) {
        for (IdentifierType type : List.of(IdentifierType.TENANT_ID, IdentifierType.AZURE_SUBSCRIPTION_ID)) {
            refused(type, guid.substring(0, at) + guid.substring(at + 1));
            refused(type, guid.substring(0, at) + "g" + guid.substring(at + 1));
            refused(type, "{" + guid + "}");
            refused(type, guid.replace("-", ""));
        }
    }

    @Provide
    Arbitrary<String> guids() {
        return Arbitraries.strings().withChars(HEX).ofLength(32).map(h -> h.substring(0, 8) + "-" + h.substring(8, 12)
                + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20));
    }

    // ---- TPIDs ----

    @Property
    void tpidsWithLeadingZerosCanonicalizeToTheNumber(@ForAll @LongRange(min = 1, max = 9_999_999_999L) long tpid,
                                                      @ForAll @IntRange(min = 0, max = 40) int zeros) {
        assertThat(valid(IdentifierType.TPID, "0".repeat(zeros) + tpid)).isEqualTo(Long.toString(tpid));
    }

    @Property
    void zeroIsRefused(@ForAll @IntRange(min = 1, max = 40) int zeros) {
        refused(IdentifierType.TPID, "0".repeat(zeros));
    }

    @Property
    void tpidsAboveTenDigitsAreRefused(@ForAll @LongRange(min = 10_000_000_000L) long tooBig,
                                       @ForAll @IntRange(min = 0, max = 5) int zeros) {
        refused(IdentifierType.TPID, "0".repeat(zeros) + tooBig);
        refused(IdentifierType.TPID, tooBig + "0000000000");
    }

    @Property
    void tpidsWithNonDigitsAreRefused(@ForAll @LongRange(min = 1, max = 9_999_999_999L) long tpid,
                                      @ForAll("nonDigits") char bad, @ForAll @IntRange(min = 0, max = 11) int at) {
        String digits = Long.toString(tpid);
        int position = Math.min(at, digits.length());
        refused(IdentifierType.TPID, digits.substring(0, position) + bad + digits.substring(position));
    }

    @Provide
    Arbitrary<Character> nonDigits() {
        return Arbitraries.chars().all().filter(c -> !(c >= '0' && c <= '9') && !Character.isWhitespace(c)
                && !Character.isSpaceChar(c));
    }

    @Example
    void signedOrFormattedTpidsAreRefused() {
        for (String raw : List.of("-5", "+5", "1e3", "1 000", "1_000", "1,000", "12.0", "0x1F", "\u0661\u0662")) {
            refused(IdentifierType.TPID, raw);
        }
    }

    // ---- MSX opportunity IDs ----

    @Property
    void opportunityIdsCanonicalizeToUpperCase(@ForAll("opportunityIds") String id) {
        assertThat(valid(IdentifierType.MSX_OPPORTUNITY_ID, id)).isEqualTo(id.toUpperCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<String> opportunityIds() {
        return Arbitraries.strings().withChars(ALNUM).ofLength(10).map(s -> "7-" + s);
    }

    @Property
    void opportunityIdsOfOtherLengthsAreRefused(@ForAll("alnums") String tail) {
        refused(IdentifierType.MSX_OPPORTUNITY_ID, "7-" + tail);
    }

    @Provide
    Arbitrary<String> alnums() {
        return Arbitraries.strings().withChars(ALNUM).ofMaxLength(30).filter(s -> s.length() != 10);
    }

    @Property
    void opportunityIdsWithOtherPrefixesAreRefused(@ForAll("opportunityIds") String id,
                                                   @ForAll("otherPrefixes") String prefix) {
        refused(IdentifierType.MSX_OPPORTUNITY_ID, prefix + id.substring(2));
    }

    @Provide
    Arbitrary<String> otherPrefixes() {
        return Arbitraries.oneOf(Arbitraries.of("", "7", "-", "7_", "7--", "8-", "77-", "7 -", "07-", "\u0667-"),
                Arbitraries.strings().withChars(ALNUM + "-_").ofMaxLength(3).filter(p -> !p.equals("7-")));
    }

    /**
     * Only ASCII letters and digits count: characters whose upper case happens to be ASCII
     * (dotless ı → I, long ſ → S, ß → SS, ﬀ → FF) must not sneak in.
     */
    @Property
    void opportunityIdsWithNonAsciiCharactersAreRefused(@ForAll("opportunityIds") String id,
                                                        @ForAll("lookAlikes") String lookAlike,
                                                        @ForAll @IntRange(min = 2, max = 11) int at) {
        String raw = id.substring(0, at) + lookAlike + id.substring(at + 1);
        refused(IdentifierType.MSX_OPPORTUNITY_ID, raw);
    }

    @Provide
    Arbitrary<String> lookAlikes() {
        return Arbitraries.of("\u0131", "\u017F", "\u212A", "\uFF21", "\u0660", "\u00E9", "_", " ", "-");
    }

    @Example
    void opportunityIdsThatOnlyBecomeValidWhenUpperCasedAreRefused() {
        refused(IdentifierType.MSX_OPPORTUNITY_ID, "7-\u00DF\u00DF\u00DF\u00DF\u00DF");
        refused(IdentifierType.MSX_OPPORTUNITY_ID, "7-\u0131\u0131\u0131\u0131\u0131\u0131\u0131\u0131\u0131\u0131");
        refused(IdentifierType.MSX_OPPORTUNITY_ID, "7-\uFB00\uFB00\uFB00\uFB00\uFB00");
    }

    // ---- domains ----

    @Property
    void generatedDomainsAreAcceptedAndLowerCased(@ForAll("asciiDomains") String domain) {
        String canonical = valid(IdentifierType.DOMAIN, domain);

        assertThat(canonical).isEqualTo(domain.toLowerCase(Locale.ROOT)).matches(CANONICAL_DOMAIN);
    }

    @Property
    void trailingDotIsRemoved(@ForAll("asciiDomains") String domain) {
        assertThat(valid(IdentifierType.DOMAIN, domain + ".")).isEqualTo(domain.toLowerCase(Locale.ROOT));
    }

    @Provide
    Arbitrary<String> asciiDomains() {
        return labels(1, 63).list().ofMinSize(2).ofMaxSize(5).map(l -> String.join(".", l))
                .filter(d -> d.length() <= 253);
    }

    private static Arbitrary<String> labels(int min, int max) {
        Arbitrary<String> edge = Arbitraries.strings().withChars(ALNUM).ofLength(1);
        Arbitrary<String> inner = Arbitraries.strings().withChars(ALNUM + "-").ofMaxLength(max - 2);
        Arbitrary<String> longLabel = Combinators.combine(edge, inner, edge).as((a, b, c) -> a + b + c)
                .filter(l -> l.length() >= min && l.length() <= max);
        return min <= 1 ? Arbitraries.oneOf(edge, longLabel) : longLabel;
    }

    @Example
    void internationalizedDomainsBecomePunycode() {
        assertThat(valid(IdentifierType.DOMAIN, "bücher.example")).isEqualTo("xn--bcher-kva.example");
        assertThat(valid(IdentifierType.DOMAIN, "BÜCHER.Example")).isEqualTo("xn--bcher-kva.example");
        assertThat(valid(IdentifierType.DOMAIN, "örnek.com.tr")).isEqualTo("xn--rnek-4qa.com.tr");
        assertThat(valid(IdentifierType.DOMAIN, "例え.jp")).isEqualTo("xn--r8jz45g.jp");
        assertThat(valid(IdentifierType.DOMAIN, "例え.jp.")).isEqualTo("xn--r8jz45g.jp");
        assertThat(valid(IdentifierType.DOMAIN, "xn--bcher-kva.example")).isEqualTo("xn--bcher-kva.example");
    }

    @Property
    void domainsWithSpacesOrUnderscoresAreRefused(@ForAll("asciiDomains") String domain,
                                                  @ForAll @IntRange(min = 1, max = 252) int at,
                                                  @ForAll("spaceOrUnderscore") String bad) {
        int position = Math.min(at, domain.length() - 1);
        refused(IdentifierType.DOMAIN, domain.substring(0, position) + bad + domain.substring(position));
    }

    @Provide
    Arbitrary<String> spaceOrUnderscore() {
        return Arbitraries.of(" ", "_", "\t", "\u00A0", "__");
    }

    @Property
    void domainsWithEmptyLabelsAreRefused(@ForAll("asciiDomains") String domain) {
        refused(IdentifierType.DOMAIN, "." + domain);
        refused(IdentifierType.DOMAIN, domain.replaceFirst("\\.", ".."));
        refused(IdentifierType.DOMAIN, domain + "..");
    }

    @Property
    void labelsLongerThan63AreRefused(@ForAll("asciiDomains") String domain,
                                      @ForAll @IntRange(min = 64, max = 180) int length) {
        refused(IdentifierType.DOMAIN, "a".repeat(length) + "." + domain);
        refused(IdentifierType.DOMAIN, domain + "." + "b".repeat(length));
    }

    @Property
    void namesLongerThan253AreRefused(@ForAll("longDomains") String domain) {
        assertThat(domain.length()).isGreaterThan(253);
        refused(IdentifierType.DOMAIN, domain);
        refused(IdentifierType.DOMAIN, domain + ".");
    }

    @Provide
    Arbitrary<String> longDomains() {
        return labels(1, 63).list().ofMinSize(4).ofMaxSize(40).map(l -> String.join(".", l))
                .filter(d -> d.length() > 253);
    }

    @Example
    void lengthLimitIsExactly253() {
        String longest = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);

        assertThat(longest).hasSize(253);
        assertThat(valid(IdentifierType.DOMAIN, longest)).isEqualTo(longest);
        assertThat(valid(IdentifierType.DOMAIN, longest + ".")).isEqualTo(longest);
        refused(IdentifierType.DOMAIN, longest + "d");
        assertThat(valid(IdentifierType.DOMAIN, "x".repeat(63) + ".com")).hasSize(67);
        refused(IdentifierType.DOMAIN, "x".repeat(64) + ".com");
    }

    @Property
    void namesWithoutDotAreRefused(@ForAll("singleLabels") String label) {
        refused(IdentifierType.DOMAIN, label);
        refused(IdentifierType.DOMAIN, label + ".");
    }

    @Provide
    Arbitrary<String> singleLabels() {
        return Arbitraries.oneOf(labels(1, 63), Arbitraries.of("bücher", "例え", "localhost"));
    }

    @Example
    void labelsStartingOrEndingWithHyphenAreRefused() {
        refused(IdentifierType.DOMAIN, "-contoso.com");
        refused(IdentifierType.DOMAIN, "contoso-.com");
        refused(IdentifierType.DOMAIN, "contoso.com-");
        refused(IdentifierType.DOMAIN, "http://contoso.com");
        refused(IdentifierType.DOMAIN, "user@contoso.com");
        refused(IdentifierType.DOMAIN, ".");
    }

    // ---- reason keys ----

    @Example
    void eachTypeHasItsOwnInvalidReasonKey() {
        assertThat(CustomerIdentifier.parse(IdentifierType.DOMAIN, "no dot"))
                .isEqualTo(new Invalid("identifier.invalid.DOMAIN"));
        assertThat(CustomerIdentifier.parse(IdentifierType.TENANT_ID, "not-a-guid"))
                .isEqualTo(new Invalid("identifier.invalid.TENANT_ID"));
        assertThat(CustomerIdentifier.parse(IdentifierType.TPID, "abc"))
                .isEqualTo(new Invalid("identifier.invalid.TPID"));
        assertThat(CustomerIdentifier.parse(IdentifierType.AZURE_SUBSCRIPTION_ID, "12345"))
                .isEqualTo(new Invalid("identifier.invalid.AZURE_SUBSCRIPTION_ID"));
        assertThat(CustomerIdentifier.parse(IdentifierType.MSX_OPPORTUNITY_ID, "7-SHORT"))
                .isEqualTo(new Invalid("identifier.invalid.MSX_OPPORTUNITY_ID"));
    }

    @Example
    void missingValueIsRequiredForEveryType() {
        for (IdentifierType type : IdentifierType.values()) {
            for (String blank : new String[] {null, "", "   ", "\t\n", "\u2003"}) {
                assertThat(CustomerIdentifier.parse(type, blank)).as("%s '%s'", type, blank)
                        .isEqualTo(new Invalid("identifier.value.required"));
            }
        }
    }

    @Example
    void missingTypeIsRequired() {
        assertThat(CustomerIdentifier.parse(null, "contoso.com")).isEqualTo(new Invalid("identifier.type.required"));
    }

    @Example
    void ofThrowsOnInvalidInputWithItsReason() {
        assertThat(CustomerIdentifier.of(IdentifierType.TPID, "007")).isEqualTo(
                new CustomerIdentifier(IdentifierType.TPID, "7"));
        assertThatThrownBy(() -> CustomerIdentifier.of(IdentifierType.TPID, "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identifier.invalid.TPID");
    }

    // ---- customer keys ----

    @Property
    void customerKeysRoundTripThroughTheirStoredForm(@ForAll("validInputs") Tuple2<IdentifierType, String> input) {
        CustomerIdentifier identifier = CustomerIdentifier.of(input.get1(), input.get2());
        if (identifier.type() == IdentifierType.DOMAIN) {
            assertThatThrownBy(() -> CustomerKey.of(identifier)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        CustomerKey key = CustomerKey.of(identifier);

        assertThat(key.kind()).isEqualTo(identifier.type().keyKind());
        assertThat(key.directIdentifierType()).isEqualTo(identifier.type());
        assertThat(key.value()).isEqualTo(identifier.value());
        assertThat(CustomerKey.parse(key.toString())).isEqualTo(key);
    }

    @Example
    void domainLeadsToTenantKeys() {
        assertThat(IdentifierType.DOMAIN.keyKind()).isEqualTo(CustomerKey.Kind.TENANT);
        assertThat(IdentifierType.TENANT_ID.keyKind()).isEqualTo(CustomerKey.Kind.TENANT);
        assertThat(CustomerKey.tenant("8F14E45F-CEEA-467F-A8D6-0E4C1B2D3A5B"))
                .hasToString("TENANT:8f14e45f-ceea-467f-a8d6-0e4c1b2d3a5b");
    }

}
