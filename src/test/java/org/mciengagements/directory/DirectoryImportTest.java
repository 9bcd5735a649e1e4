package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.mciengagements.shared.CustomerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/** Runs in the demo context and rolls back, so the demo data stays as loaded. */
@SpringBootTest
@Transactional
class DirectoryImportTest {

    @Autowired DirectoryImport directoryImport;
    @Autowired CustomerDirectory directory;

    @Test
    void attributeValuesKeepTheTypeTheyReadAs() {
        assertThat(DirectoryImport.typed("300")).isEqualTo(300L);
        assertThat(DirectoryImport.typed("1000.50")).isEqualTo(new BigDecimal("1000.50"));
        assertThat(DirectoryImport.typed("TRUE")).isEqualTo(true);
        assertThat(DirectoryImport.typed("false")).isEqualTo(false);
        assertThat(DirectoryImport.typed("SMB")).isEqualTo("SMB");
        assertThat(DirectoryImport.typed("7-ABC")).isEqualTo("7-ABC");
    }

    @Test
    void badRowsAreReportedByRowNumberAndTheGoodOnesStillImported() {
        var report = directoryImport.load(DirectoryImport.Kind.TENANTS, new StringReader("""
                tenant_id,name,country,tpid,domains,attr:paidSeats
                11111111-1111-1111-1111-111111111111,Good One,nl,00042,Good.Example. bücher.example,12
                not-a-guid,Bad One,NL,,,5
                22222222-2222-2222-2222-222222222222,,Netherlands,,,
                """));

        assertThat(report.imported()).isEqualTo(1);
        assertThat(report.domains()).isEqualTo(2);
        assertThat(report.problems()).extracting(DirectoryImport.Problem::row).containsExactly(3, 4, 4);
        var good = directory.find(CustomerKey.tenant("11111111-1111-1111-1111-111111111111")).orElseThrow();
        assertThat(good.country()).isEqualTo("NL");
        assertThat(good.tpid()).isEqualTo(42L);
        assertThat(good.attributes()).containsEntry("paidSeats", 12L);
        assertThat(directory.verifiedDomains("11111111-1111-1111-1111-111111111111"))
                .containsExactly("good.example", "xn--bcher-kva.example");
    }

    @Test
    void anUnknownColumnRefusesTheFileAtRowOne() {
        var report = directoryImport.load(DirectoryImport.Kind.TPIDS, new StringReader("""
                tpid,name,segment,country,paidSeats
                1,X,SMB,NL,3
                """));

        assertThat(report.imported()).isZero();
        assertThat(report.problems()).singleElement().satisfies(p -> {
            assertThat(p.row()).isEqualTo(1);
            assertThat(p.message()).contains("paidSeats", "attr:");
        });
    }
}
