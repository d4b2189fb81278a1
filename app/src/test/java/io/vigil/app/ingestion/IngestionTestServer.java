package io.vigil.app.ingestion;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.VigilRuntime;
import io.vigil.app.VigilServer;
import io.vigil.app.http.ApiKeys;
import io.vigil.app.http.HttpLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real server on 127.0.0.1 over a fresh workspace, as the ingestion tests use it. */
final class IngestionTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final VigilRuntime runtime;
    final ApiKeys keys;
    final String adminKey;
    final VigilServer server;

    IngestionTestServer(Path dataDir) throws Exception {
        this(dataDir, HttpLimits.DEFAULT);
    }

    IngestionTestServer(Path dataDir, HttpLimits limits) throws Exception {
        this(VigilRuntime.open(dataDir), limits);
    }

    /** A server over a runtime opened by the caller (with its own store options), closed with the server. */
    IngestionTestServer(VigilRuntime runtime, HttpLimits limits) throws Exception {
        this.runtime = runtime;
        this.keys = ApiKeys.load(runtime.workspace());
        this.adminKey = Files.readString(runtime.workspace().secretsDir().resolve("admin.key"))
                .trim();
        this.server = VigilServer.builder(runtime, keys).httpLimits(limits).build();
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    long count(String sql) throws Exception {
        try (Connection connection = runtime.store().newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    List<List<Object>> rows(String sql) throws Exception {
        List<List<Object>> result = new ArrayList<>();
        try (Connection connection = runtime.store().newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getObject(i));
                }
                result.add(row);
            }
        }
        return result;
    }

    /**
     * The rows a KQL query returns through the server's Log Analytics query API, as a client reads them
     * (JSON values); fails when the API answers with an error.
     */
    List<List<Object>> query(String kql) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(
                        baseUrl() + "/v1/workspaces/" + runtime.workspace().workspaceId() + "/query"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(JSON.createObjectNode().put("query", kql))))
                .build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        }
        JsonNode body = JSON.readTree(response.body());
        if (response.statusCode() != 200 || body.has("error")) {
            throw new AssertionError("query " + kql + " answered " + response.statusCode() + ": " + body);
        }
        List<List<Object>> result = new ArrayList<>();
        for (JsonNode row : body.path("tables").path(0).path("rows")) {
            result.add(JSON.convertValue(row, new TypeReference<List<Object>>() {}));
        }
        return result;
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            runtime.close();
        }
    }
}
