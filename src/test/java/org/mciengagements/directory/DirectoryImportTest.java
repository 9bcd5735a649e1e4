package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.StringReader;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mciengagements.directory.DirectoryImport.Kind;
import org.mciengagements.directory.DirectoryImport.Problem;
import org.mciengagements.directory.DirectoryImport.ProblemCode;
import org.mciengagements.shared.CustomerKey;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;

/**
 * The directory load through COPY and the set-based merge, on the demo directory. Runs in the demo
 * context and rolls back, so the demo data stays as loaded.
 */
@SpringBootTest
@Transactional
class DirectoryImportTest {

    static final String NORTHWIND = "321591da-f721-58aa-807d-39fa4f917473";
    static final String LITWARE = "902378a7-d912-580b-b091-fc2a14d8794a";

    @Autowired DirectoryImport directoryImport;
    @Autowired CustomerDirectory directory;
    @Autowired JdbcClient jdbc;

    @Test
    void attributeValuesKeepTheTypeTheyReadAs() {
        assertThat(DirectoryImport.typed("300")).isEqualTo(300L);
        assertThat(DirectoryImport.typed("1000.50")).isEqualTo(new BigDecimal("1000.50"));
        assertThat(DirectoryImport.typed("TRUE")).isEqualTo(true);
        assertThat(DirectoryImport.typed("false")).isEqualTo(false);
        assertThat(DirectoryImport.typed("SMB")).isEqualTo("SMB");
        assertThat(DirectoryImport.typed("7-ABC")).isEqualTo("7-ABC");
        assertThat(DirectoryImport.typed("0." + "1".repeat(40))).as("too long to be a number").isInstanceOf(String.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, DirectoryImport.CHUNK_ROWS})
    void theReportNamesRowColumnAndCodeOfEachProblemAndOnlyTheGoodRowsLoad(int chunkRows) {
        var report = load(Kind.TENANTS, chunkRows, """
                tenant_id,name,country,tpid,domains,attr:paidSeats,attr:note
                11111111-1111-1111-1111-111111111111,Good One,nl,00042,Good.Example. bücher.example,12,
                not-a-guid,Bad One,NL,,,5,
                22222222-2222-2222-2222-222222222222,,Netherlands,,,,
                33333333-3333-3333-3333-333333333333,Three,DE,x1,three.example bad_domain,,
                44444444-4444-4444-4444-444444444444,Four,DE

                55555555-5555-5555-5555-555555555555,"Five ""Quoted"" Co",us,,five.example,,"tab\there, and \\ back"
                66666666-6666-6666-6666-666666666666,Six "stray,DE,,,,
                """);

        assertThat(report.problems()).extracting(Problem::row, Problem::column, Problem::code).containsExactly(
                tuple(3, "tenant_id", ProblemCode.INVALID_IDENTIFIER),
                tuple(4, "name", ProblemCode.REQUIRED),
                tuple(4, "country", ProblemCode.INVALID_COUNTRY),
                tuple(5, "tpid", ProblemCode.INVALID_IDENTIFIER),
                tuple(5, "domains", ProblemCode.INVALID_IDENTIFIER),
                tuple(6, "", ProblemCode.MALFORMED_ROW),
                tuple(9, "", ProblemCode.MALFORMED_ROW));
        assertThat(report.problems().get(0).reason()).isEqualTo("tenant_id is not a valid TENANT_ID: not-a-guid");
        assertThat(report.problems().get(5).reason()).isEqualTo("expected 7 fields but found 3");
        assertThat(report.rowsRead()).isEqualTo(7);
        assertThat(report.imported()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(5);
        assertThat(report.problemCount()).isEqualTo(7);
        assertThat(report.domains()).isEqualTo(3);

        var good = directory.find(CustomerKey.tenant("11111111-1111-1111-1111-111111111111")).orElseThrow();
        assertThat(good.displayName()).isEqualTo("Good One");
        assertThat(good.country()).isEqualTo("NL");
        assertThat(good.tpid()).isEqualTo(42L);
        assertThat(good.attributes()).containsExactly(java.util.Map.entry("paidSeats", 12L));
        assertThat(directory.verifiedDomains("11111111-1111-1111-1111-111111111111"))
                .containsExactly("good.example", "xn--bcher-kva.example");
        var five = directory.find(CustomerKey.tenant("55555555-5555-5555-5555-555555555555")).orElseThrow();
        assertThat(five.displayName()).isEqualTo("Five \"Quoted\" Co");
        assertThat(five.country()).isEqualTo("US");
        assertThat(five.attributes()).containsEntry("note", "tab\there, and \\ back");
        for (String bad : new String[] {"22222222-2222-2222-2222-222222222222", "33333333-3333-3333-3333-333333333333",
                "44444444-4444-4444-4444-444444444444", "66666666-6666-6666-6666-666666666666"}) {
            assertThat(directory.find(CustomerKey.tenant(bad))).as(bad).isEmpty();
        }
        assertThat(directory.tenantOf("three.example")).isEmpty();
    }

    @Test
    void opportunityValuesAndStatesAreChecked() {
        var report = load(Kind.OPPORTUNITIES, """
                opportunity_id,tpid,name,estimated_value_usd,state
                7-AAAAAAAAA1,1100001,Fine,1e5,won
                7-AAAAAAAAA2,1100001,Negative,-1,OPEN
                7-AAAAAAAAA3,1100001,Words,lots,OPEN
                7-AAAAAAAAA4,1100001,Huge,999999999999.999,OPEN
                7-AAAAAAAAA5,1100001,Odd,10,MAYBE
                7-short,0,,10,OPEN
                """);

        assertThat(report.problems()).extracting(Problem::row, Problem::column, Problem::code).containsExactly(
                tuple(3, "estimated_value_usd", ProblemCode.INVALID_NUMBER),
                tuple(4, "estimated_value_usd", ProblemCode.INVALID_NUMBER),
                tuple(5, "estimated_value_usd", ProblemCode.INVALID_NUMBER),
                tuple(6, "state", ProblemCode.INVALID_STATE),
                tuple(7, "opportunity_id", ProblemCode.INVALID_IDENTIFIER),
                tuple(7, "tpid", ProblemCode.INVALID_IDENTIFIER),
                tuple(7, "name", ProblemCode.REQUIRED));
        var fine = directory.find(new CustomerKey(CustomerKey.Kind.OPPORTUNITY, "7-AAAAAAAAA1")).orElseThrow();
        assertThat(fine.estimatedValueUsd()).isEqualByComparingTo("100000");
        assertThat(fine.opportunityState()).isEqualTo("WON");
        assertThat(fine.country()).as("the country of its TPID").isEqualTo("NL");
        assertThat(fine.tpid()).isEqualTo(1100001L);
    }

    @Test
    void aRowReplacesTheEntryItNamesAndItsDomainsAsAWhole() {
        var report = load(Kind.TENANTS, """
                tenant_id,name,country,domains,attr:industry
                %s,Northwind Renamed,BE,northwind.example LITWARE.com,Wholesale
                """.formatted(NORTHWIND.toUpperCase()));

        assertThat(report.clean()).isTrue();
        var northwind = directory.find(CustomerKey.tenant(NORTHWIND)).orElseThrow();
        assertThat(northwind.displayName()).isEqualTo("Northwind Renamed");
        assertThat(northwind.country()).isEqualTo("BE");
        assertThat(northwind.tpid()).as("no tpid in the row: none any more").isNull();
        assertThat(northwind.attributes()).as("replaced, not merged").containsExactly(
                java.util.Map.entry("industry", "Wholesale"));
        assertThat(directory.verifiedDomains(NORTHWIND)).containsExactly("litware.com", "northwind.example");
        assertThat(directory.tenantOf("northwindtraders.nl")).isEmpty();
        assertThat(directory.verifiedDomains(LITWARE)).as("the domain moved to the tenant that lists it").isEmpty();
        assertThat(directory.find(CustomerKey.tenant(LITWARE))).as("other tenants stay").isPresent();
    }

    /** Chunks of one and two rows put the repeats in different chunks; the default keeps them in one. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, DirectoryImport.CHUNK_ROWS})
    void aKeyRepeatedInOneFileTakesTheLaterRow(int chunkRows) {
        var report = load(Kind.TENANTS, chunkRows, """
                tenant_id,name,country,domains,attr:paidSeats
                aaaaaaaa-0000-0000-0000-000000000001,First,NL,first.example shared.example,1
                bbbbbbbb-0000-0000-0000-000000000002,Other,NL,shared.example,2
                AAAAAAAA-0000-0000-0000-000000000001,Second,DE,second.example,3
                """);

        assertThat(report.clean()).isTrue();
        assertThat(report.imported()).isEqualTo(3);
        var tenant = directory.find(CustomerKey.tenant("aaaaaaaa-0000-0000-0000-000000000001")).orElseThrow();
        assertThat(tenant.displayName()).isEqualTo("Second");
        assertThat(tenant.country()).isEqualTo("DE");
        assertThat(tenant.attributes()).containsEntry("paidSeats", 3L);
        assertThat(directory.verifiedDomains("aaaaaaaa-0000-0000-0000-000000000001")).containsExactly("second.example");
        assertThat(directory.tenantOf("first.example")).as("the earlier row's domains are not kept").isEmpty();
        assertThat(directory.tenantOf("shared.example")).contains("bbbbbbbb-0000-0000-0000-000000000002");
    }

    @Test
    void subscriptionsAndOpportunitiesTakeNameAndCountryFromTheirOwners() {
        load(Kind.SUBSCRIPTIONS, """
                subscription_id,tenant_id,name
                abcdef12-0000-0000-0000-000000000001,%s,
                abcdef34-0000-0000-0000-000000000002,cccccccc-0000-0000-0000-000000000003,
                abcdef56-0000-0000-0000-000000000003,%s,Named
                """.formatted(NORTHWIND, NORTHWIND));

        var named = directory.find(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION, "abcdef12-0000-0000-0000-000000000001"))
                .orElseThrow();
        assertThat(named.displayName()).isEqualTo("Northwind Traders subscription abcdef12");
        assertThat(named.country()).isEqualTo("NL");
        assertThat(named.ownerTenantId()).isEqualTo(NORTHWIND);
        var orphan = directory.find(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION, "abcdef34-0000-0000-0000-000000000002"))
                .orElseThrow();
        assertThat(orphan.displayName()).isEqualTo("Azure subscription abcdef34");
        assertThat(orphan.country()).isNull();
        assertThat(directory.find(new CustomerKey(CustomerKey.Kind.SUBSCRIPTION, "abcdef56-0000-0000-0000-000000000003"))
                .orElseThrow().displayName()).isEqualTo("Named");
    }

    @Test
    void aRowEqualToTheStoredOneIsNotWrittenNorLocked() throws java.io.IOException {
        String demo;
        try (var in = getClass().getResourceAsStream("/program/demo/tenants.csv")) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String header = demo.lines().findFirst().orElseThrow();
        String northwind = demo.lines().filter(l -> l.startsWith(NORTHWIND)).findFirst().orElseThrow();
        String litware = demo.lines().filter(l -> l.startsWith(LITWARE)).findFirst().orElseThrow();

        var report = load(Kind.TENANTS, header + "\n" + northwind + "\n" + litware.replace("Litware Inc.", "Litware AG") + "\n");

        assertThat(report.clean()).isTrue();
        // A row this transaction updated has its id as xmin; one it only locked has it as xmax.
        assertThat(touched("directory_customer", "customer_key = 'TENANT:" + NORTHWIND + "'")).isFalse();
        assertThat(touched("directory_domain", "tenant_id = '" + NORTHWIND + "'")).isFalse();
        assertThat(touched("directory_customer", "customer_key = 'TENANT:" + LITWARE + "'")).isTrue();
        assertThat(directory.find(CustomerKey.tenant(LITWARE)).orElseThrow().displayName()).isEqualTo("Litware AG");
    }

    /** Whether this transaction wrote or locked any of the rows. */
    private boolean touched(String table, String where) {
        return jdbc.sql("select bool_or(xmin::text = x or xmax::text = x) from " + table
                        + ", (select (txid_current() % 4294967296)::text as x) me where " + where)
                .query(Boolean.class).single();
    }

    @Test
    void aMissingOrUnknownColumnRefusesTheWholeFileAtRowOne() {
        long before = directory.count();
        var report = load(Kind.TPIDS, """
                tpid,name,segment,paidSeats
                1,X,SMB,3
                """);

        assertThat(report.refused()).isTrue();
        assertThat(report.imported()).isZero();
        assertThat(report.problems()).extracting(Problem::row, Problem::column, Problem::code).containsExactly(
                tuple(1, "country", ProblemCode.MISSING_COLUMN),
                tuple(1, "paidSeats", ProblemCode.UNKNOWN_COLUMN));
        assertThat(report.problems().get(1).reason()).contains("attr:");
        assertThat(directory.count()).isEqualTo(before);

        var duplicate = load(Kind.TPIDS, "tpid,name,name,segment,country\n1,X,Y,SMB,NL\n");
        assertThat(duplicate.refused()).isTrue();
        assertThat(duplicate.problems()).extracting(Problem::row, Problem::column, Problem::code)
                .containsExactly(tuple(1, "", ProblemCode.INVALID_HEADER));
    }

    @Test
    void onlyTheFirstTenThousandProblemsAreKeptButAllAreCounted() {
        StringBuilder csv = new StringBuilder("tpid,name,segment,country\n");
        for (int i = 0; i < DirectoryImport.MAX_STORED_PROBLEMS + 5; i++) {
            csv.append("not-a-number,Name,SMB,NL\n");
        }
        csv.append("77,Last,SMB,NL\n");

        var report = load(Kind.TPIDS, csv.toString());

        assertThat(report.problemCount()).isEqualTo(DirectoryImport.MAX_STORED_PROBLEMS + 5);
        assertThat(report.problems()).hasSize(DirectoryImport.MAX_STORED_PROBLEMS);
        assertThat(report.problems().getLast().row()).isEqualTo(DirectoryImport.MAX_STORED_PROBLEMS + 1);
        assertThat(report.rejected()).isEqualTo(DirectoryImport.MAX_STORED_PROBLEMS + 5);
        assertThat(directory.find(new CustomerKey(CustomerKey.Kind.TPID, "77"))).isPresent();
    }

    @Test
    void aNulCharacterRejectsItsRowInsteadOfFailingTheFile() {
        var report = load(Kind.TPIDS, "tpid,name,segment,country\n78,Bad\u0000Name,SMB,NL\n79,Good,SMB,NL\n");

        assertThat(report.problems()).extracting(Problem::row, Problem::column, Problem::code)
                .containsExactly(tuple(2, "name", ProblemCode.INVALID_TEXT));
        assertThat(directory.find(new CustomerKey(CustomerKey.Kind.TPID, "79"))).isPresent();
    }

    private DirectoryImport.Report load(Kind kind, String csv) {
        return directoryImport.load(kind, new StringReader(csv));
    }

    private DirectoryImport.Report load(Kind kind, int chunkRows, String csv) {
        return directoryImport.load(kind, new StringReader(csv), new DirectoryImport.Progress(), chunkRows);
    }
}
