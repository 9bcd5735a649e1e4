package org.mciengagements.support;

import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like session without a browser: the login form, the session cookie, and the CSRF token
 * every page form carries, so tests can post page forms as a signed-in user (or as nobody).
 */
public final class PageSession {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final Http http;
    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private PageSession(Http http) {
        this.http = http;
    }

    /** Signed in through the login form; {@code null} for an anonymous visitor who only opened the login page. */
    public static PageSession of(Http http, String username) {
        PageSession session = new PageSession(http);
        String token = session.csrfOf("/login");
        if (username != null) {
            HttpResponse<String> login = session.post("/login", token, Map.of("username", username,
                    "password", Http.DEMO_PASSWORD));
            if (login.statusCode() != 302 || login.headers().firstValue("Location").orElse("").contains("error")) {
                throw new IllegalStateException("sign-in of " + username + " failed: " + login.statusCode());
            }
        }
        return session;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(http.uri(path)).header("Accept", "text/html").GET());
    }

    /**
     * Posts a page form with the session's current CSRF token, as the page's own form would. The token
     * is read from the login page, which every visitor may open (signing in replaces the token).
     */
    public HttpResponse<String> postForm(String path, Map<String, String> fields) {
        return post(path, csrfOf("/login"), fields);
    }

    private String csrfOf(String page) {
        Matcher m = CSRF.matcher(get(page).body());
        if (!m.find()) {
            throw new IllegalStateException("no CSRF token on " + page);
        }
        return m.group(1);
    }

    private HttpResponse<String> post(String path, String token, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", token);
        String body = all.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(http.uri(path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
