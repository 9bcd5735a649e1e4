package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The directory pages build message keys from enums (kinds, statuses, problem codes): every value
 * must have its text in English, Dutch and Turkish, or a page would show a raw key.
 */
class DirectoryImportTextsTest {

    @Test
    void everyKindStatusAndProblemCodeHasItsTextInEveryLanguage() {
        List<String> keys = new ArrayList<>();
        for (DirectoryImport.Kind kind : DirectoryImport.Kind.values()) {
            keys.add("directory.kind." + kind.name());
        }
        for (DirectoryImports.Status status : DirectoryImports.Status.values()) {
            keys.add("directoryImport.status." + status.name());
        }
        for (DirectoryImport.ProblemCode code : DirectoryImport.ProblemCode.values()) {
            keys.add("directoryImport.problem." + code.name());
        }
        for (String bundle : List.of("i18n/messages.properties", "i18n/messages_nl.properties",
                "i18n/messages_tr.properties")) {
            Properties texts = load(bundle);
            assertThat(keys).as(bundle).allSatisfy(key -> assertThat(texts.getProperty(key)).as(key).isNotBlank());
        }
    }

    private static Properties load(String resource) {
        try (var in = DirectoryImportTextsTest.class.getClassLoader().getResourceAsStream(resource)) {
            Properties properties = new Properties();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
