package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small client of a Vigil server's Sentinel management API ({@code /v1/securityinsights/}) and query API, for
 * the CLI's {@code --server}. Every answer that is not a success becomes a {@link Failure} carrying the
 * server's status and error message.
 */
final class SecurityInsightsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final URI server;
    private final String key;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    SecurityInsightsClient(URI server, String key) {
        this.server = requireNonNull(server, "server is null");
        this.key = requireNonNull(key, "key is null");
    }

    /** The server answered with an error: its status and its {@code error.message}. */
    static final class Failure extends Exception {
        private final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    JsonNode get(String resource) throws IOException, InterruptedException, Failure {
        return send("GET", resource, null);
    }

    JsonNode put(String resource, JsonNode body) throws IOException, InterruptedException, Failure {
        return send("PUT", resource, body);
    }

    JsonNode post(String resource) throws IOException, InterruptedException, Failure {
        return send("POST", resource, JSON.createObjectNode());
    }

    /** Runs KQL with the query API on the server's one workspace. */
    JsonNode query(String kql) throws IOException, InterruptedException, Failure {
        ObjectNode body = JSON.createObjectNode().put("query", kql);
        return exchange("POST", "/v1/workspaces/default/query", body);
    }

    private JsonNode send(String method, String resource, JsonNode body)
            throws IOException, InterruptedException, Failure {
        return exchange(method, "/v1/securityinsights/" + resource, body);
    }

    private JsonNode exchange(String method, String path, JsonNode body)
            throws IOException, InterruptedException, Failure {
        String base = server.toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .header("Authorization", "Bearer " + key);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), UTF_8));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body().isBlank() ? "{}" : response.body());
        } catch (IOException notJson) {
            throw new Failure(response.statusCode(), "the server answered " + response.statusCode() + " without JSON");
        }
        if (response.statusCode() / 100 != 2) {
            String message = answer.path("error").path("message").asText("");
            if (message.isEmpty()) {
                message = "the server answered " + response.statusCode();
            }
            throw new Failure(response.statusCode(), message);
        }
        return answer;
    }

    /** A path segment as the server reads it. */
    static String segment(String value) {
        return URLEncoder.encode(value, UTF_8).replace("+", "%20");
    }
}
