package net.reactory.workflow.bootstrap.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The CLI's view of a daemon: JSON over its admin API. */
final class ApiClient {

    /** A response; {@code body} is null when it was not JSON. */
    record Reply(int status, JsonNode body, String text) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String errorLine() {
            JsonNode error = body == null ? null : body.get("error");
            if (error != null) return "error " + status + " " + error.path("code").asText() + ": " + error.path("message").asText();
            return "error " + status + ": " + text;
        }
    }

    /** The daemon could not be reached. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String url, String token) {
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.token = token == null || token.isBlank() ? null : token.trim();
    }

    Reply get(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Reply post(String path, Object body) throws Unreachable {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Reply send(HttpRequest.Builder request) throws Unreachable {
        request.timeout(Duration.ofSeconds(60)).header("X-Workflow-Caller", caller());
        if (token != null) request.header("Authorization", "Bearer " + token);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new Unreachable("cannot reach the daemon at " + base + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode body = null;
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            try {
                body = JSON.readTree(text);
            } catch (IOException ignored) {
                // Shown as text.
            }
        }
        return new Reply(response.statusCode(), body, text);
    }

    private static String caller() {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        return "cli:" + (user.length() > 40 ? user.substring(0, 40) : user);
    }
}
