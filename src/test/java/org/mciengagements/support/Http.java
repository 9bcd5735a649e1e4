package org.mciengagements.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Real HTTP against the test server, with HTTP Basic credentials of a demo user. */
public record Http(int port) {

    public static final String DEMO_PASSWORD = "demo";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public HttpResponse<String> get(String user, String path) {
        return send(user, HttpRequest.newBuilder(uri(path)).GET());
    }

    /** A page request as a browser sends it. */
    public HttpResponse<String> page(String user, String path) {
        return send(user, HttpRequest.newBuilder(uri(path)).header("Accept", "text/html,application/xhtml+xml").GET());
    }

    public HttpResponse<String> get(String user, String path, String acceptLanguage) {
        return send(user, HttpRequest.newBuilder(uri(path)).header("Accept-Language", acceptLanguage).GET());
    }

    public HttpResponse<String> postJson(String user, String path, String json) {
        return send(user, HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A PUT of JSON; {@code ifMatch} is sent as the {@code If-Match} header when not null. */
    public HttpResponse<String> putJson(String user, String path, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return send(user, request);
    }

    public HttpResponse<String> send(String user, HttpRequest.Builder request) {
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
