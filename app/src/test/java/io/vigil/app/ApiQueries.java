package io.vigil.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

/** Posts KQL to a running server's Log Analytics query API with the admin key, as a client would. */
final class ApiQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiQueries() {}

    static HttpResponse<String> post(ServerCommand.Running running, VigilRuntime runtime, String kql) throws Exception {
        String key = Files.readString(runtime.workspace().secretsDir().resolve("admin.key"))
                .trim();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + running.server().port() + "/v1/workspaces/"
                        + runtime.workspace().workspaceId() + "/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(JSON.createObjectNode().put("query", kql))))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
