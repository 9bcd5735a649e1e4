package org.mciengagements.directory;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The second, optional way to derive a tenant from a domain: the identity provider's public OpenID
 * discovery document {@code <authority>/<domain>/v2.0/.well-known/openid-configuration}, whose
 * {@code issuer} carries the tenant GUID. Off unless {@code mci.directory.openid.enabled=true};
 * consulted only when the directory's verified domains do not know the domain. Any failure (time-
 * out, 4xx for unknown domains, a malformed document) means "not derived", never an error.
 */
@Component
@Order(1)
@ConditionalOnBooleanProperty("mci.directory.openid.enabled")
class OpenIdTenantResolver implements TenantResolver {

    private static final Logger log = LoggerFactory.getLogger(OpenIdTenantResolver.class);
    private static final Pattern TENANT_IN_ISSUER = Pattern.compile(
            "/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(/|$)");

    private final HttpClient http;
    private final String authority;
    private final Duration timeout;
    private final JsonMapper json;

    OpenIdTenantResolver(@Value("${mci.directory.openid.authority:https://login.microsoftonline.com}") String authority,
                         @Value("${mci.directory.openid.timeout:3s}") Duration timeout, JsonMapper json) {
        this.authority = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Optional<String> tenantOf(String domain) {
        URI uri = URI.create(authority + "/" + URLEncoder.encode(domain, StandardCharsets.UTF_8)
                + "/v2.0/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            JsonNode issuer = json.readTree(response.body()).get("issuer");
            if (issuer == null || !issuer.isString()) {
                return Optional.empty();
            }
            Matcher matcher = TENANT_IN_ISSUER.matcher(issuer.asString());
            return matcher.find() ? Optional.of(matcher.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("OpenID discovery for {} failed: {}", domain, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
