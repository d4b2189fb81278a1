package io.vigil.app.ui;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.ApiKeys;
import io.vigil.engine.Compilation;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.EngineCatalog;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryException;
import io.vigil.engine.TableAccess;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.Column;
import io.vigil.spi.EventStore;
import io.vigil.spi.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * The small APIs the web UI needs beside the query API, each for an authenticated principal:
 *
 * <ul>
 *   <li>{@code GET /v1/me}: who the key belongs to and its role, so the UI shows only what the role may do
 *       (the server checks every request anyway);
 *   <li>{@code GET /v1/catalog}: the engine's catalog for completion and the schema browser: the tables the
 *       key may read (its table-level grant) with their columns and row counts, functions, operators;
 *   <li>{@code POST /v1/compile} with {@code {"query","timespan"}}: the engine's diagnostics of a query
 *       without running it, with their source spans, for the editor's squiggles;
 *   <li>{@code GET /v1/principals}: the principals with keys and their roles (admin only; no key material).
 * </ul>
 */
public final class ConsoleApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A query a person types: far below the query API's body limit, and compiled on every pause in typing. */
    static final int MAX_COMPILE_BODY_BYTES = 256 * 1024;

    private final KqlEngine engine;
    private final EventStore store;
    private final ApiKeys keys;

    public ConsoleApi(KqlEngine engine, EventStore store, ApiKeys keys) {
        this.engine = requireNonNull(engine, "engine is null");
        this.store = requireNonNull(store, "store is null");
        this.keys = requireNonNull(keys, "keys is null");
    }

    /** A status and a JSON body. */
    public record Reply(int status, ObjectNode body) {}

    public static boolean handles(String method, String path) {
        return switch (path) {
            case "/v1/me", "/v1/catalog", "/v1/principals" -> method.equals("GET");
            case "/v1/compile" -> method.equals("POST");
            default -> false;
        };
    }

    public Reply handle(Request request, ApiKeys.Principal principal) {
        return switch (Request.getPathInContext(request)) {
            case "/v1/me" -> new Reply(200, me(principal));
            case "/v1/catalog" -> new Reply(200, catalog(principal));
            case "/v1/principals" -> principals(principal);
            default -> compile(request, principal);
        };
    }

    private static ObjectNode me(ApiKeys.Principal principal) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", principal.name());
        body.put("role", principal.role().label());
        if (principal.tables().isPresent()) {
            ArrayNode readable = body.putArray("tables");
            principal.tables().get().forEach(readable::add);
        } else {
            body.putNull("tables");
        }
        ArrayNode roles = body.putArray("grantedRoles");
        for (ApiKeys.Role role : ApiKeys.Role.values()) {
            if (principal.role().includes(role)) {
                roles.add(role.label());
            }
        }
        return body;
    }

    /** The catalog as the principal sees it: only the tables its key may read. */
    private ObjectNode catalog(ApiKeys.Principal principal) {
        EngineCatalog catalog = engine.catalog();
        Map<String, Long> rowCounts = store.rowCounts();
        ObjectNode body = JSON.createObjectNode();
        ArrayNode tables = body.putArray("tables");
        TableAccess access = principal.tableAccess();
        for (TableSchema schema : catalog.tables()) {
            if (!access.mayRead(schema.name())) {
                continue;
            }
            ObjectNode table = tables.addObject();
            table.put("name", schema.name());
            Long rows = rowCounts.get(schema.name());
            if (rows == null) {
                table.putNull("rowCount");
            } else {
                table.put("rowCount", rows);
            }
            ArrayNode columns = table.putArray("columns");
            for (Column column : schema.columns()) {
                columns.addObject()
                        .put("name", column.name())
                        .put("type", column.type().kqlName())
                        .put("description", column.description());
            }
        }
        ArrayNode functions = body.putArray("functions");
        for (EngineCatalog.Function function : catalog.functions()) {
            functions
                    .addObject()
                    .put("name", function.name())
                    .put("kind", function.kind().name().toLowerCase(Locale.ROOT))
                    .put("signature", function.signature())
                    .put("description", function.description());
        }
        ArrayNode operators = body.putArray("operators");
        for (EngineCatalog.Operator operator : catalog.operators()) {
            operators
                    .addObject()
                    .put("name", operator.name())
                    .put("example", operator.example())
                    .put("syntax", operator.syntax())
                    .put("description", operator.description());
        }
        return body;
    }

    private Reply principals(ApiKeys.Principal caller) {
        if (!caller.role().includes(ApiKeys.Role.ADMIN)) {
            return new Reply(
                    403,
                    error(
                            "InsufficientAccessError",
                            "Listing principals needs the admin role; '" + caller.name() + "' is "
                                    + caller.role().label()));
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("principals");
        for (ApiKeys.Principal principal : keys.principals()) {
            list.addObject()
                    .put("name", principal.name())
                    .put("role", principal.role().label());
        }
        return new Reply(200, body);
    }

    private Reply compile(Request request, ApiKeys.Principal principal) {
        JsonNode json;
        try {
            Optional<String> text = readBody(request);
            if (text.isEmpty()) {
                return new Reply(
                        413,
                        error("PayloadTooLargeError", "The query is larger than " + MAX_COMPILE_BODY_BYTES + " bytes"));
            }
            json = JSON.readTree(text.get());
        } catch (JsonProcessingException exception) {
            return new Reply(400, error("BadArgumentError", "The request body is not valid JSON"));
        } catch (IOException exception) {
            return new Reply(400, error("BadArgumentError", "The request body could not be read"));
        }
        if (json == null || !json.path("query").isTextual()) {
            return new Reply(400, error("BadArgumentError", "The request body must be a JSON object with a 'query'"));
        }
        String query = json.path("query").asText();
        Optional<String> timespan = Optional.empty();
        if (json.path("timespan").isTextual()) {
            timespan = Optional.of(json.path("timespan").asText());
        }
        Compilation compilation;
        try {
            compilation = engine.compile(query, engine.parameters(timespan), principal.tableAccess());
        } catch (QueryException badTimespan) {
            return new Reply(400, error("BadArgumentError", badTimespan.getMessage()));
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode diagnostics = body.putArray("diagnostics");
        switch (compilation) {
            case CompiledQuery compiled -> {
                body.put("valid", true);
                compiled.warnings().forEach(warning -> diagnostic(diagnostics, warning));
                ArrayNode columns = body.putArray("columns");
                for (Column column : compiled.schema()) {
                    columns.addObject()
                            .put("name", column.name())
                            .put("type", column.type().kqlName());
                }
            }
            case Compilation.Rejected rejected -> {
                body.put("valid", false);
                rejected.errors().forEach(error -> diagnostic(diagnostics, error));
            }
        }
        return new Reply(200, body);
    }

    private static void diagnostic(ArrayNode diagnostics, Diagnostic diagnostic) {
        diagnostics
                .addObject()
                .put("code", diagnostic.code().code())
                .put("severity", diagnostic.severity().name().toLowerCase(Locale.ROOT))
                .put("message", diagnostic.message())
                .put("start", diagnostic.span().start())
                .put("end", diagnostic.span().end())
                .put("line", diagnostic.line())
                .put("column", diagnostic.column());
    }

    private static Optional<String> readBody(Request request) throws IOException {
        if (request.getLength() > MAX_COMPILE_BODY_BYTES) {
            return Optional.empty();
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] bytes = in.readNBytes(MAX_COMPILE_BODY_BYTES + 1);
            if (bytes.length > MAX_COMPILE_BODY_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }
}
