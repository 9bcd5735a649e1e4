package org.mciengagements.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mciengagements.engagement.Deadlines;
import org.mciengagements.engagement.EngagementType;
import org.springframework.core.io.DefaultResourceLoader;

class ProgramFilesTest {

    @TempDir Path dir;

    private ProgramFiles files(String yaml) throws IOException {
        Files.writeString(dir.resolve(ProgramFiles.PROGRAM), yaml);
        return new ProgramFiles(new DefaultResourceLoader(), dir.toUri().toString());
    }

    @Test
    void daysAreRelativeToTheLoadDateOrIsoDates() {
        LocalDate today = LocalDate.of(2026, 3, 10);

        assertThat(ProgramFiles.day("-90", today, "x")).isEqualTo(LocalDate.of(2025, 12, 10));
        assertThat(ProgramFiles.day("30", today, "x")).isEqualTo(LocalDate.of(2026, 4, 9));
        assertThat(ProgramFiles.day("2027-01-31", today, "x")).isEqualTo(LocalDate.of(2027, 1, 31));
        assertThatThrownBy(() -> ProgramFiles.day("next week", today, "firstClaimDay"))
                .hasMessageContaining("firstClaimDay");
    }

    @Test
    void omittedFieldsTakeTheirDefaults() throws IOException {
        var program = files("""
                program:
                  users:
                    - { username: vera, displayName: Vera, email: vera@example.org, password: x }
                  engagements:
                    - id: w
                      type: WORKSHOP
                      deadlines: { consentDays: 10 }
                """).program();

        var user = program.users().getFirst();
        assertThat(user.timeZone()).isEqualTo("UTC");
        assertThat(user.language()).isEqualTo("en");
        assertThat(user.locationRoles()).isEmpty();
        var engagement = program.engagements().getFirst();
        assertThat(engagement.maxActiveClaimsPerCustomer()).isEqualTo(1);
        assertThat(engagement.criteria()).isEmpty();
        assertThat(engagement.deadlines().over(EngagementType.WORKSHOP.defaultDeadlines()))
                .isEqualTo(new Deadlines(10, 90, 120, 30, 14));
    }

    @Test
    void anUnknownKeyIsAnErrorNotSilentlyIgnored() throws IOException {
        var files = files("""
                program:
                  partners:
                    - { id: p, name: P, locatoins: [] }
                """);

        assertThatThrownBy(files::program).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("locatoins");
    }

    @Test
    void aMissingProgramFileNamesTheLocation() {
        var files = new ProgramFiles(new DefaultResourceLoader(), dir.toUri().toString());

        assertThatThrownBy(files::program).hasMessageContaining("program.yaml").hasMessageContaining(dir.toString());
    }
}
