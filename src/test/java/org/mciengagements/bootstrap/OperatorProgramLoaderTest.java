package org.mciengagements.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/** An operator's own program from a directory: their files replace the demo, and no demo claims appear. */
@SpringBootTest
class OperatorProgramLoaderTest {

    private static Path dir;

    @DynamicPropertySource
    static void programLocation(DynamicPropertyRegistry registry) throws IOException {
        dir = Files.createTempDirectory("mci-program-");
        Files.writeString(dir.resolve("program.yaml"), """
                program:
                  markets:
                    A: [BE]
                  partners:
                    - id: tailspin
                      name: Tailspin Advisory
                      locations:
                        - { id: "987654", name: Tailspin Brussels, country: BE, enrollment: ENROLLED }
                  users:
                    - username: bea
                      displayName: Bea Peeters
                      email: bea@tailspin.example
                      partner: tailspin
                      password: s3cret-for-test
                      locationRoles:
                        - { location: "987654", roles: [INCENTIVES_ADMIN] }
                  engagements:
                    - id: data-workshop
                      name: Data Workshop
                      description: A workshop.
                      solutionArea: Data & AI
                      type: WORKSHOP
                      firstClaimDay: 2020-01-01
                      lastClaimDay: 2099-12-31
                      paymentModel: FIXED
                      identifierTypes: [TENANT_ID]
                      fixedPayouts: { A: 100, B: 80, C: 60 }
                """);
        Files.writeString(dir.resolve("tenants.csv"), """
                tenant_id,name,country,tpid,domains,attr:paidSeats
                0f8fad5b-d9cb-469f-a165-70867728950e,Brouwerij Example,BE,,brouwerij.example,42
                """);
        registry.add("mci.program.location", () -> dir.toUri().toString());
    }

    @AfterAll
    static void removeProgramDirectory() {
        FileSystemUtils.deleteRecursively(dir.toFile());
    }

    @Autowired JdbcClient jdbc;

    @Test
    void programComesFromTheConfiguredDirectoryAndDemoClaimsNeedTheirFile() {
        assertThat(jdbc.sql("select id from partner").query(String.class).list()).containsExactly("tailspin");
        assertThat(jdbc.sql("select id from engagement").query(String.class).list()).containsExactly("data-workshop");
        assertThat(jdbc.sql("select customer_key from directory_customer").query(String.class).list())
                .containsExactly("TENANT:0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(jdbc.sql("select count(*) from claim").query(Long.class).single()).isZero();
    }
}
