package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.support.Http;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code mci.directory.openid.enabled=true}, a domain the directory does not know is resolved
 * through the OpenID discovery document (a local server here) during the dry run and the
 * nomination. With the resolver off, the default, the same domain asks for a tenant ID or TPID
 * instead: see {@code NominationApiTest#aDomainWithoutATenantInTheDirectoryCannotBeNominatedAndTheDryRunAsksForATenantOrTpid}
 * (domain {@value #NEWCO}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "mci.directory.openid.enabled=true")
@DirtiesContext
class OpenIdTenantResolverApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Unknown to the directory; its OpenID tenant is not in the directory either. */
    static final String NEWCO = "contoso-newco.example";
    static final String NEWCO_TENANT = "0f6a3c1e-5b7d-4e2a-9c84-1d2e3f4a5b6c";
    /** Unknown to the directory as a domain; its OpenID tenant is Northwind Traders'. */
    static final String NORTHWIND_EU = "northwind-eu.example";
    static final String NORTHWIND_TENANT = "321591da-f721-58aa-807d-39fa4f917473";

    static final List<String> asked = new CopyOnWriteArrayList<>();
    static final HttpServer OPENID = start(Map.of(NEWCO, NEWCO_TENANT.toUpperCase(), NORTHWIND_EU, NORTHWIND_TENANT));

    @DynamicPropertySource
    static void authority(DynamicPropertyRegistry registry) {
        registry.add("mci.directory.openid.authority", () -> "http://127.0.0.1:" + OPENID.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        OPENID.stop(0);
    }

    /** Serves the discovery document of each known domain; 400 invalid_tenant for any other, as the real one does. */
    static HttpServer start(Map<String, String> tenants) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getRawPath();
                asked.add(path);
                String domain = path.substring(1, Math.max(1, path.indexOf('/', 1)));
                String tenant = tenants.get(domain);
                boolean found = tenant != null && path.equals("/" + domain + "/v2.0/.well-known/openid-configuration");
                byte[] body = (found ? "{\"issuer\":\"https://login.example/" + tenant + "/v2.0\"}"
                        : "{\"error\":\"invalid_tenant\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(found ? 200 : 400, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        asked.clear();
    }

    @Test
    void aDomainUnknownToTheDirectoryIsResolvedThroughTheOpenIdDocumentInTheDryRun() {
        JsonNode newco = check("Contoso-NewCo.Example.");
        assertThat(newco.get("customerKey").asString()).isEqualTo("TENANT:" + NEWCO_TENANT);
        assertThat(newco.get("tenantMustBeSupplied").asBoolean()).isFalse();
        assertThat(newco.get("customerFound").asBoolean()).as("a tenant the directory does not have").isFalse();
        assertThat(reasonCodes(newco, "security-assessment")).containsExactly("CUSTOMER_NOT_FOUND");
        assertThat(asked).containsExactly("/" + NEWCO + "/v2.0/.well-known/openid-configuration");

        JsonNode northwind = check(NORTHWIND_EU);
        assertThat(northwind.get("customerKey").asString()).isEqualTo("TENANT:" + NORTHWIND_TENANT);
        assertThat(northwind.get("customerFound").asBoolean()).isTrue();
        assertThat(northwind.get("customerName").asString()).isEqualTo("Northwind Traders");

        JsonNode nobody = check("nobody-knows.example");
        assertThat(nobody.get("tenantMustBeSupplied").asBoolean()).isTrue();
        assertThat(nobody.get("customerKey").isNull()).isTrue();

        asked.clear();
        JsonNode woodgrove = check("woodgrovebank.nl");
        assertThat(woodgrove.get("customerKey").asString()).isEqualTo("TENANT:6dd1a078-8888-507e-8751-2cc6a1901cf9");
        assertThat(asked).as("the directory's verified domains are asked first").isEmpty();
    }

    @Test
    void aCustomerIsNominatedThroughTheTenantTheOpenIdDocumentNames() {
        String request = """
                {"origin":"ADD","friendlyName":"Northwind EU security","locationId":"4100231",
                 "identifier":{"type":"DOMAIN","value":"%s"},"engagementIds":["security-assessment"],
                 "customerContact":{"name":"Eva Jansen","email":"eva@%1$s","language":"nl"},
                 "partnerContact":{"name":"Anna de Vries","email":"anna.devries@contoso-consulting.example"}}"""
                .formatted(NORTHWIND_EU);
        HttpResponse<String> response = http.postJson("anna", "/api/v1/claims", request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode claim = JSON.readTree(response.body()).get("claims").get(0);
        assertThat(claim.get("identifierType").asString()).isEqualTo("DOMAIN");
        assertThat(claim.get("identifierValue").asString()).isEqualTo(NORTHWIND_EU);
        assertThat(claim.get("customerKey").asString()).isEqualTo("TENANT:" + NORTHWIND_TENANT);
        assertThat(claim.get("customerName").asString()).isEqualTo("Northwind Traders");
    }

    private JsonNode check(String domain) {
        HttpResponse<String> response = http.postJson("anna", "/api/v1/customer-checks",
                "{\"locationId\":\"4100231\",\"identifier\":{\"type\":\"DOMAIN\",\"value\":\"" + domain + "\"}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> reasonCodes(JsonNode check, String engagementId) {
        for (JsonNode answer : check.get("engagements")) {
            if (answer.get("engagementId").asString().equals(engagementId)) {
                List<String> codes = new java.util.ArrayList<>();
                answer.get("reasons").forEach(r -> codes.add(r.get("code").asString()));
                return codes;
            }
        }
        throw new AssertionError("no answer for " + engagementId + " in " + check);
    }
}
