package org.mciengagements.bootstrap;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mciengagements.Application;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The program's directory files load through the same import as operators' files, inside the
 * start-up transaction: one bad row still fails the start, and the error names the file, the row,
 * the column and the problem.
 */
class BadDirectoryFileTest {

    @Test
    void aBadRowInAProgramDirectoryFileFailsTheStartNamingRowColumnAndProblem(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("program.yaml"), """
                program:
                  markets:
                    A: [BE]
                  partners:
                    - id: tailspin
                      name: Tailspin Advisory
                      locations:
                        - { id: "987654", name: Tailspin Brussels, country: BE, enrollment: ENROLLED }
                  users: []
                  engagements: []
                """);
        Files.writeString(dir.resolve("tenants.csv"), """
                tenant_id,name,country
                0f8fad5b-d9cb-469f-a165-70867728950e,Brouwerij Example,BE
                not-a-tenant,Broken Example,BE
                """);

        assertThatThrownBy(() -> new SpringApplicationBuilder(Application.class)
                .run("--server.port=0", "--mci.program.location=" + dir.toUri(), "--mci.demo.enabled=false",
                        "--mci.jobs.deadlines.initial-delay=1h").close())
                .hasStackTraceContaining("tenants.csv has 1 problems")
                .hasStackTraceContaining("row 3 tenant_id: INVALID_IDENTIFIER tenant_id is not a valid TENANT_ID: not-a-tenant");
    }
}
