package io.vigil.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.query.QueryService;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryResult;
import io.vigil.engine.QueryWarning;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Where the CLI runs KQL: in this process on a workspace's store ({@link Local}) or on a running
 * server through the Log Analytics query API ({@link Remote}). Both answer with the same {@link Answer},
 * so the commands render and report alike whichever way the query went. Failures to reach the target
 * (missing files, refused connections, rejected keys) are {@link VigilException}s, which the CLI turns
 * into exit code 2.
 */
sealed interface QueryTarget extends AutoCloseable {
    /** Runs one query; a rejected or failed query is an {@link Answer.Rejected}, not an exception. */
    Answer run(String query, Optional<String> timespan) throws InterruptedException;

    @Override
    void close();

    /**
     * A result table: named, typed columns and rows of JSON-ready values (String, Number, Boolean, null), and
     * the warnings of a partial success (a KQL warning, a result cut at a limit or by the timeout).
     */
    record Table(List<Column> columns, List<List<Object>> rows, List<Problem> warnings) {
        public Table {
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            rows = List.copyOf(requireNonNull(rows, "rows is null"));
            warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        }
    }

    record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** One problem of a query; {@code line} and {@code column} are 1-based, 0 when the error has no position. */
    record Problem(String code, String message, int line, int column) {
        public Problem {
            requireNonNull(code, "code is null");
            requireNonNull(message, "message is null");
        }

        boolean hasPosition() {
            return line > 0 && column > 0;
        }

        static Problem of(Diagnostic diagnostic) {
            return new Problem(diagnostic.code().code(), diagnostic.message(), diagnostic.line(), diagnostic.column());
        }

        static Problem of(QueryWarning warning) {
            return new Problem(warning.code(), warning.message(), warning.line(), warning.column());
        }
    }

    sealed interface Answer {
        record Rows(Table table) implements Answer {
            public Rows {
                requireNonNull(table, "table is null");
            }
        }

        /**
         * The query did not run: its diagnostics, or one problem without a position when the engine
         * failed (timeout, store failure) or the request was refused as a whole (bad timespan).
         */
        record Rejected(List<Problem> problems) implements Answer {
            public Rejected {
                problems = List.copyOf(requireNonNull(problems, "problems is null"));
                if (problems.isEmpty()) {
                    throw new IllegalArgumentException("a rejected query has at least one problem");
                }
            }
        }
    }

    /**
     * Opens the workspace in {@code dataDir} in this process. The store takes DuckDB's file lock, so a
     * server must not be running on the same folder; queries only read.
     */
    static Local local(Path dataDir, Optional<Path> geoIpDatabase) throws IOException {
        if (!Files.isRegularFile(dataDir.resolve("workspace.json"))) {
            throw new VigilException(
                    StandardErrorCode.INVALID_ARGUMENT, "no workspace in " + dataDir + " (workspace.json is missing)");
        }
        return new Local(VigilRuntime.open(dataDir, geoIpDatabase));
    }

    final class Local implements QueryTarget {
        private final VigilRuntime runtime;
        private final QueryService service;

        Local(VigilRuntime runtime) {
            this.runtime = requireNonNull(runtime, "runtime is null");
            this.service = new QueryService(
                    runtime.store(), Clock.systemUTC(), QueryService.DEFAULT_TIMEOUT, QueryService.DEFAULT_MAX_ROWS);
        }

        @Override
        public Answer run(String query, Optional<String> timespan) throws InterruptedException {
            QueryResult result;
            try {
                result = service.execute(query, timespan);
            } catch (QueryException exception) {
                if (exception.diagnostics().isEmpty()) {
                    return new Answer.Rejected(List.of(
                            new Problem(exception.errorCode().name(), firstLine(exception.getMessage()), 0, 0)));
                }
                return new Answer.Rejected(exception.diagnostics().stream()
                        .filter(Diagnostic::isError)
                        .map(Problem::of)
                        .toList());
            }
            List<Column> columns = new ArrayList<>();
            for (QueryResult.ResultColumn column : result.columns()) {
                columns.add(new Column(column.name(), column.type().kqlName()));
            }
            List<List<Object>> rows = new ArrayList<>();
            for (List<Object> row : result.rows()) {
                // nulls are values here; List.copyOf in Table would reject them, so wrap each row
                rows.add(Collections.unmodifiableList(new ArrayList<>(row)));
            }
            List<Problem> warnings = result.warnings().stream().map(Problem::of).toList();
            return new Answer.Rows(new Table(columns, rows, warnings));
        }

        @Override
        public void close() {
            runtime.close();
        }
    }

    /** A running server's query API with a bearer key, over the JDK's HTTP client. */
    final class Remote implements QueryTarget {
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

        private final URI queryUri;
        private final String key;
        private final Duration requestTimeout;
        private final HttpClient client;

        Remote(URI server, String workspaceId, String key, Duration requestTimeout) {
            requireNonNull(server, "server is null");
            requireNonNull(workspaceId, "workspaceId is null");
            String base = server.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            this.queryUri = URI.create(base + "/v1/workspaces/" + workspaceId + "/query");
            this.key = requireNonNull(key, "key is null");
            this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
            this.client =
                    HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        }

        @Override
        public Answer run(String query, Optional<String> timespan) throws InterruptedException {
            ObjectNode body = JSON.createObjectNode();
            body.put("query", query);
            timespan.filter(text -> !text.isBlank()).ifPresent(text -> body.put("timespan", text));
            HttpResponse<String> response;
            try {
                HttpRequest request = HttpRequest.newBuilder(queryUri)
                        .timeout(requestTimeout)
                        .header("Authorization", "Bearer " + key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                        .build();
                response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (ConnectException exception) {
                throw new VigilException(
                        StandardErrorCode.EXTERNAL_FAILURE, "cannot connect to " + queryUri + ": connection refused");
            } catch (IOException exception) {
                throw new VigilException(
                        StandardErrorCode.EXTERNAL_FAILURE,
                        "request to " + queryUri + " failed: " + exception.getMessage(),
                        exception);
            }
            JsonNode json;
            try {
                json = JSON.readTree(response.body());
            } catch (JsonProcessingException exception) {
                json = null;
            }
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                throw new VigilException(
                        StandardErrorCode.UNAUTHENTICATED,
                        "the server refused the API key (HTTP " + status + "): " + errorMessage(json));
            }
            if (json == null || !json.isObject()) {
                throw new VigilException(
                        StandardErrorCode.EXTERNAL_FAILURE,
                        "unexpected answer from " + queryUri + " (HTTP " + status + ", not JSON)");
            }
            if (status == 200 && json.path("tables").isArray()) {
                return new Answer.Rows(table(json));
            }
            if (status == 404) {
                throw new VigilException(
                        StandardErrorCode.EXTERNAL_FAILURE, queryUri + " is not a Vigil query API (HTTP 404)");
            }
            return new Answer.Rejected(problems(json, status));
        }

        private static Table table(JsonNode body) {
            JsonNode first = body.path("tables").path(0);
            List<Column> columns = new ArrayList<>();
            for (JsonNode column : first.path("columns")) {
                columns.add(new Column(
                        column.path("name").asText(), column.path("type").asText()));
            }
            List<List<Object>> rows = new ArrayList<>();
            for (JsonNode row : first.path("rows")) {
                List<Object> values = new ArrayList<>();
                for (JsonNode value : row) {
                    values.add(value(value));
                }
                rows.add(Collections.unmodifiableList(values));
            }
            List<Problem> warnings = List.of();
            if (body.path("error").path("code").asText().equals("PartialError")) {
                warnings = details(body.path("error"));
            }
            return new Table(columns, rows, warnings);
        }

        private static Object value(JsonNode value) {
            if (value.isNull() || value.isMissingNode()) {
                return null;
            }
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            if (value.isIntegralNumber()) {
                return value.longValue();
            }
            if (value.isNumber()) {
                return value.doubleValue();
            }
            if (value.isTextual()) {
                return value.textValue();
            }
            // the API sends dynamic values as JSON text; anything else is kept as its JSON
            return value.toString();
        }

        /** The Azure error shape: one detail per diagnostic, its position in {@code additionalProperties}. */
        private static List<Problem> problems(JsonNode body, int status) {
            JsonNode error = body.path("error");
            List<Problem> problems = new ArrayList<>(details(error));
            if (problems.isEmpty()) {
                String code = error.path("code").asText("HTTP_" + status);
                problems.add(new Problem(code, firstLine(errorMessage(body)), 0, 0));
            }
            return problems;
        }

        /** The details of an error object, each with its code, message and, when it has one, position. */
        private static List<Problem> details(JsonNode error) {
            List<Problem> problems = new ArrayList<>();
            for (JsonNode detail : error.path("details")) {
                if (detail.path("code").isTextual()) {
                    JsonNode position = detail.path("additionalProperties");
                    problems.add(new Problem(
                            detail.path("code").asText(),
                            detail.path("message").asText(),
                            position.path("line").asInt(0),
                            position.path("pos").asInt(0)));
                }
            }
            return problems;
        }

        private static String errorMessage(JsonNode body) {
            if (body == null) {
                return "no message";
            }
            return body.path("error").path("message").asText("no message");
        }

        @Override
        public void close() {
            client.close();
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        return message.lines().findFirst().orElse("");
    }
}
