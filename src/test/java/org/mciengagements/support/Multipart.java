package org.mciengagements.support;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data request body, built field by field, as browsers and API clients send it. */
public final class Multipart {

    private final String boundary = "----mci" + UUID.randomUUID().toString().replace("-", "");
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    public Multipart file(String name, String fileName, String contentType, byte[] content) {
        write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write("\r\n");
        return this;
    }

    /** A POST of this body to {@code path}. */
    public HttpRequest.Builder post(Http http, String path) {
        write("--" + boundary + "--\r\n");
        return HttpRequest.newBuilder(http.uri(path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    private void write(String text) {
        body.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
