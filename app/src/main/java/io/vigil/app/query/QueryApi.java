package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.kql.binder.RenderHint;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.ErrorCategory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The Log Analytics query API: {@code POST /v1/workspaces/{id}/query} with {@code {"query","timespan"}}
 * or {@code GET ...?query=&timespan=}, answering {@code {"tables":[{"name":"PrimaryResult","columns",
 * "rows"}]}} and errors in the Azure shape with one detail per diagnostic.
 * source: https://learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute
 */
public final class QueryApi {
    private static final Pattern PATH = Pattern.compile("/v1/workspaces/[^/]+/query");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueryService service;

    public QueryApi(QueryService service) {
        this.service = requireNonNull(service, "service is null");
    }

    /** A status and a JSON body. */
    public record Reply(int status, ObjectNode body) {}

    public static boolean matches(String path) {
        return PATH.matcher(path).matches();
    }

    /** Answers a query request of an authenticated principal, who is recorded in LAQueryLogs. */
    public Reply handle(Request request, String principal) {
        String query;
        Optional<String> timespan;
        try {
            if (request.getMethod().equals("GET")) {
                Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                query = fields.getValue("query");
                timespan = Optional.ofNullable(fields.getValue("timespan"));
            } else {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                JsonNode json = JSON.readTree(body);
                if (json == null || !json.isObject()) {
                    return badArgument("The request body must be a JSON object with a 'query'", List.of());
                }
                query = json.path("query").isTextual() ? json.path("query").asText() : null;
                timespan = Optional.ofNullable(
                        json.path("timespan").isTextual()
                                ? json.path("timespan").asText()
                                : null);
            }
        } catch (JsonProcessingException exception) {
            return badArgument("The request body is not valid JSON", List.of());
        } catch (IOException exception) {
            return badArgument("The request body could not be read", List.of());
        }
        if (query == null || query.isBlank()) {
            return badArgument("The request has no 'query'", List.of());
        }
        try {
            String clientApp = request.getHeaders().get("User-Agent");
            if (clientApp == null) {
                clientApp = "";
            }
            QueryResult result = service.execute(query, timespan, new QueryService.Caller(principal, clientApp));
            ObjectNode body = tables(result);
            if (wantsRender(request)) {
                result.render().ifPresent(render -> body.set("render", render(render)));
            }
            return new Reply(200, body);
        } catch (QueryException exception) {
            if (exception.errorCode().category() == ErrorCategory.USER) {
                return badArgument(exception.getMessage(), exception.diagnostics());
            }
            return error(500, "InternalServerError", exception.getMessage(), List.of());
        } catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            return error(503, "ServiceUnavailableError", "The query was interrupted", List.of());
        }
    }

    /** Log Analytics returns the render hint when the client asks with {@code Prefer: include-render=true}. */
    private static boolean wantsRender(Request request) {
        return request.getHeaders().getValuesList("Prefer").stream()
                .flatMap(value -> Arrays.stream(value.split(",")))
                .anyMatch(value -> value.strip().equalsIgnoreCase("include-render=true"));
    }

    /** The hint as Log Analytics spells it: {@code visualization} and camel-case property names. */
    private static ObjectNode render(RenderHint render) {
        ObjectNode node = JSON.createObjectNode();
        node.put("visualization", render.visualization());
        render.properties().forEach((name, value) -> node.put(RENDER_PROPERTIES.getOrDefault(name, name), value));
        return node;
    }

    private static final Map<String, String> RENDER_PROPERTIES = Map.ofEntries(
            Map.entry("xcolumn", "xColumn"),
            Map.entry("ycolumns", "yColumns"),
            Map.entry("ysplit", "ySplit"),
            Map.entry("xtitle", "xTitle"),
            Map.entry("ytitle", "yTitle"),
            Map.entry("xaxis", "xAxis"),
            Map.entry("yaxis", "yAxis"),
            Map.entry("ymin", "yMin"),
            Map.entry("ymax", "yMax"),
            Map.entry("anomalycolumns", "anomalyColumns"));

    private static ObjectNode tables(QueryResult result) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode table = body.putArray("tables").addObject();
        table.put("name", "PrimaryResult");
        ArrayNode columns = table.putArray("columns");
        for (QueryResult.ResultColumn column : result.columns()) {
            columns.addObject()
                    .put("name", column.name())
                    .put("type", column.type().kqlName());
        }
        ArrayNode rows = table.putArray("rows");
        for (List<Object> row : result.rows()) {
            ArrayNode values = rows.addArray();
            for (Object value : row) {
                switch (value) {
                    case null -> values.addNull();
                    case String text -> values.add(text);
                    case Integer number -> values.add(number);
                    case Long number -> values.add(number);
                    case Double number -> {
                        if (Double.isFinite(number)) {
                            values.add(number);
                        } else {
                            values.add(number.toString());
                        }
                    }
                    case Boolean flag -> values.add(flag);
                    default -> values.add(value.toString());
                }
            }
        }
        if (result.warning().isPresent()) {
            // a cut result is a partial error, as Log Analytics reports its record limit
            ObjectNode error = body.putObject("error");
            error.put("code", "PartialError");
            error.put("message", "There were some errors when processing your query.");
            ObjectNode detail = error.putArray("details").addObject();
            detail.put("code", "EngineError");
            detail.put("message", result.warning().get());
            detail.putObject("innererror")
                    .put("code", "E_QUERY_RESULT_SET_TOO_LARGE")
                    .put("message", result.warning().get());
        }
        return body;
    }

    private static Reply badArgument(String message, List<Diagnostic> diagnostics) {
        return error(400, "BadArgumentError", message, diagnostics);
    }

    /** The Azure error shape; syntax errors carry SYN0002 as their inner code, like the service. */
    private static Reply error(int status, String code, String message, List<Diagnostic> diagnostics) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ArrayNode details = error.putArray("details");
        for (Diagnostic diagnostic : diagnostics) {
            boolean syntax = diagnostic.code().code().startsWith("KQL1");
            ObjectNode detail = details.addObject();
            if (syntax) {
                detail.put("code", "SyntaxError");
            } else {
                detail.put("code", "SemanticError");
            }
            detail.put("message", diagnostic.code().code() + ": " + diagnostic.message());
            ObjectNode inner = detail.putObject("innererror");
            if (syntax) {
                inner.put("code", "SYN0002");
            } else {
                inner.put("code", diagnostic.code().code());
            }
            inner.put("kqlCode", diagnostic.code().code());
            inner.put("message", diagnostic.message());
            inner.put("line", diagnostic.line());
            inner.put("pos", diagnostic.column());
        }
        return new Reply(status, body);
    }
}
