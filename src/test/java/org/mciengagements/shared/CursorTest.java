package org.mciengagements.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.HttpStatus;

/** Keyset-paging cursors: opaque to clients, exact for the server. */
class CursorTest {

    @Property(tries = 1000)
    void encodeDecodeRoundTripsForAnyStrings(@ForAll("text") String sortValue, @ForAll("text") String id) {
        Cursor cursor = new Cursor(sortValue, id);

        String encoded = cursor.encode();

        assertThat(encoded).matches("[A-Za-z0-9_-]*");
        assertThat(Cursor.decode(encoded, "cursor")).isEqualTo(cursor);
    }

    /**
     * Any well-formed text: every code point except lone surrogates (which no database column or
     * JSON string can hold), including control characters, separators and astral characters.
     */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> codePoint = Arbitraries.oneOf(
                        Arbitraries.integers().between(0, 0x7F),
                        Arbitraries.integers().between(0, 0x10FFFF))
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .map(Character::toString);
        return Arbitraries.oneOf(
                codePoint.list().ofMaxSize(40).map(parts -> String.join("", parts)),
                Arbitraries.of("", "\u001f", "a\u001fb", "\u001f\u001f", "Fabrikam \u001f Ltd", "2026-06-15T10:00:00Z"));
    }

    @Example
    void separatorInsideTheSortValueSurvives() {
        Cursor cursor = new Cursor("Contoso\u001fFabrikam", "C-0042");

        assertThat(Cursor.decode(cursor.encode(), "cursor")).isEqualTo(cursor);
    }

    @Example
    void absentCursorMeansTheFirstPage() {
        assertThat(Cursor.decode(null, "cursor")).isNull();
        assertThat(Cursor.decode("", "cursor")).isNull();
        assertThat(Cursor.decode("  ", "cursor")).isNull();
    }

    @Property
    void malformedCursorIsABadRequestOnItsField(@ForAll("malformed") String encoded) {
        assertThatThrownBy(() -> Cursor.decode(encoded, "cursor"))
                .isInstanceOfSatisfying(ProblemException.class, problem -> {
                    assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(problem.fieldProblems()).singleElement().satisfies(field -> {
                        assertThat(field.field()).isEqualTo("cursor");
                        assertThat(field.code()).isEqualTo("INVALID_CURSOR");
                        assertThat(field.messageKey()).isEqualTo("problem.cursor.invalid");
                    });
                });
    }

    @Provide
    Arbitrary<String> malformed() {
        return Arbitraries.oneOf(
                Arbitraries.of("!!!", "not a cursor", "abc$", "====", "a", "%2F", "Zm9v/+", "é"),
                Arbitraries.of("5:ab", "-1:abc", "x:abc", ":abc", "99999999999:a", "+:a", "2", "")
                        .map(raw -> Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(raw.getBytes(StandardCharsets.UTF_8)))
                        .filter(s -> !s.isEmpty()),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20)
                        .map(s -> Base64.getUrlEncoder().withoutPadding()
                                .encodeToString(s.getBytes(StandardCharsets.UTF_8))),
                Arbitraries.strings().withChars("!@#$%^&*()+=[]{}|;:'\",.<>?/\\ ").ofMinLength(1).ofMaxLength(10)
                        .filter(s -> !s.isBlank()));
    }

    @Example
    void fieldNameIsTheOneTheCallerGives() {
        assertThatThrownBy(() -> Cursor.decode("!!!", "page.after"))
                .isInstanceOfSatisfying(ProblemException.class, problem ->
                        assertThat(problem.fieldProblems().getFirst().field()).isEqualTo("page.after"));
    }

    @Example
    void limitDefaultsTo50AndAccepts1To200() {
        assertThat(Cursor.limit(null)).isEqualTo(50);
        assertThat(Cursor.limit(1)).isEqualTo(1);
        assertThat(Cursor.limit(200)).isEqualTo(200);
        for (int outOfRange : new int[] {0, -1, 201}) {
            assertThatThrownBy(() -> Cursor.limit(outOfRange))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> {
                        assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                        assertThat(problem.fieldProblems().getFirst().field()).isEqualTo("limit");
                    });
        }
    }
}
