package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The optional second tenant resolver of SPEC §3: the identity provider's OpenID discovery
 * document, here served by a local HTTP server (never the internet). Whatever goes wrong, the
 * answer is "not derived", never an exception.
 */
class OpenIdTenantResolverTest {

    static final String TENANT = "AF605526-D9D5-594A-BC66-99010E66DA09";
    static final String DOCUMENT_PATH = "/v2.0/.well-known/openid-configuration";

    static HttpServer server;
    static ExecutorService executor;
    static final List<String> paths = new CopyOnWriteArrayList<>();
    /** Holds the slow domain's answer until the test class is done. */
    static final CountDownLatch release = new CountDownLatch(1);

    OpenIdTenantResolver resolver;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", OpenIdTenantResolverTest::answer);
        server.start();
    }

    @AfterAll
    static void stopServer() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @BeforeEach
    void setUp() {
        paths.clear();
        resolver = new OpenIdTenantResolver(authority() + "/", Duration.ofMillis(500), JsonMapper.builder().build());
    }

    /** A discovery server that knows a few domains, each showing one way an answer can go wrong. */
    static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        paths.add(path);
        String domain = path.substring(1, Math.max(1, path.indexOf('/', 1)));
        if (!path.equals("/" + domain + DOCUMENT_PATH)) {
            respond(exchange, 404, "{\"error\":\"not_found\"}");
            return;
        }
        switch (domain) {
            case "contoso-newco.example" -> respond(exchange, 200, """
                    {"token_endpoint":"https://login.example/%1$s/oauth2/v2.0/token",
                     "issuer":"https://login.example/%1$s/v2.0","tenant_region_scope":"EU"}""".formatted(TENANT));
            case "sts-issuer.example" -> respond(exchange, 200, "{\"issuer\":\"https://sts.example/" + TENANT.toLowerCase() + "/\"}");
            case "unknown-tenant.example" -> respond(exchange, 400, "{\"error\":\"invalid_tenant\"}");
            case "gone.example" -> respond(exchange, 404, "{\"issuer\":\"https://login.example/" + TENANT + "/v2.0\"}");
            case "moved.example" -> {
                exchange.getResponseHeaders().add("Location", "/contoso-newco.example" + DOCUMENT_PATH);
                respond(exchange, 302, "");
            }
            case "no-issuer.example" -> respond(exchange, 200, "{\"token_endpoint\":\"https://login.example/" + TENANT + "/token\"}");
            case "template-issuer.example" -> respond(exchange, 200, "{\"issuer\":\"https://login.example/{tenantid}/v2.0\"}");
            case "short-guid.example" -> respond(exchange, 200, "{\"issuer\":\"https://login.example/af605526-d9d5-594a-bc66/v2.0\"}");
            case "numeric-issuer.example" -> respond(exchange, 200, "{\"issuer\":42}");
            case "malformed.example" -> respond(exchange, 200, "{\"issuer\": \"https://login.example/" + TENANT);
            case "html.example" -> respond(exchange, 200, "<html><body>Sign in</body></html>");
            case "empty.example" -> respond(exchange, 200, "");
            case "slow.example" -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, "{\"issuer\":\"https://login.example/" + TENANT + "/v2.0\"}");
            }
            default -> respond(exchange, 400, "{\"error\":\"invalid_tenant\"}");
        }
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    static String authority() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void theTenantIsTheLowerCaseGuidInTheIssuer() {
        assertThat(resolver.tenantOf("contoso-newco.example")).hasValue(TENANT.toLowerCase());
        assertThat(resolver.tenantOf("sts-issuer.example")).hasValue(TENANT.toLowerCase());
    }

    @Test
    void theDocumentIsAskedForAtTheDomainsOwnPath() {
        resolver.tenantOf("contoso-newco.example");
        resolver.tenantOf("xn--mller-bckerei-hfb76a.de");
        assertThat(paths).containsExactly("/contoso-newco.example" + DOCUMENT_PATH,
                "/xn--mller-bckerei-hfb76a.de" + DOCUMENT_PATH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-tenant.example", "gone.example", "moved.example", "no-issuer.example",
            "template-issuer.example", "short-guid.example", "numeric-issuer.example", "malformed.example",
            "html.example", "empty.example"})
    void anAnswerWithoutATenantGuidDerivesNothing(String domain) {
        assertThat(resolver.tenantOf(domain)).isEmpty();
        assertThat(paths).as("the server was asked").containsExactly("/" + domain + DOCUMENT_PATH);
    }

    @Test
    void aServerThatDoesNotAnswerWithinTheTimeoutDerivesNothing() {
        long started = System.nanoTime();
        Optional<String> tenant = resolver.tenantOf("slow.example");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(tenant).isEmpty();
        assertThat(paths).containsExactly("/slow.example" + DOCUMENT_PATH);
        assertThat(took).as("gave up after the 500 ms timeout, not when the server answered")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aServerThatRefusesTheConnectionDerivesNothing() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OpenIdTenantResolver unreachable = new OpenIdTenantResolver("http://127.0.0.1:" + closedPort,
                Duration.ofMillis(500), JsonMapper.builder().build());
        assertThat(unreachable.tenantOf("contoso-newco.example")).isEmpty();
    }
}
