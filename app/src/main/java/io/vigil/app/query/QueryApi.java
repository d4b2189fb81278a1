package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.engine.QueryException;
import io.vigil.engine.QueryResult;
import io.vigil.engine.QueryWarning;
import io.vigil.engine.TableAccess;
import io.vigil.kql.binder.RenderHint;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.spi.ErrorCategory;
import io.vigil.spi.StandardErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * The Log Analytics query API: {@code POST /v1/workspaces/{id}/query} with {@code {"query","timespan"}}
 * or {@code GET ...?query=&timespan=}, answering {@code {"tables":[{"name":"PrimaryResult","columns",
 * "rows"}]}}. Errors and partial successes use the documented error object (ErrorInfo: {@code code},
 * {@code message}, {@code details} of ErrorDetail {@code code, message, target, additionalProperties},
 * and a chain of {@code innererror} ErrorInfo): one detail per diagnostic or warning, with its KQL code and
 * its {@code line}/{@code pos} in {@code additionalProperties}; the innermost {@code innererror} is the first
 * one's. A partial success is a 200 with the tables and an {@code error} of code {@code PartialError}; a query
 * over the time limit is 504 GatewayTimeout.
 * source: https://learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute,
 * https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format,
 * https://learn.microsoft.com/azure/azure-monitor/logs/api/errors, https://learn.microsoft.com/azure/azure-monitor/logs/api/timeouts
 */
public final class QueryApi {
    private static final Pattern PATH = Pattern.compile("/v1/workspaces/([^/]+)/query");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The largest request body: a query with its timespan is text a person or a rule wrote, so this leaves room
     * for large {@code datatable} literals while a client cannot make the server hold gigabytes.
     */
    public static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The workspace id that names this server's one workspace in any client's configuration. */
    public static final String DEFAULT_WORKSPACE = "default";

    private final QueryService service;
    private final String workspaceId;

    /**
     * @param workspaceId the id of the workspace the service queries; requests name it or {@value
     *     #DEFAULT_WORKSPACE} in their path, and any other id is an unknown workspace
     */
    public QueryApi(QueryService service, String workspaceId) {
        this.service = requireNonNull(service, "service is null");
        this.workspaceId = requireNonNull(workspaceId, "workspaceId is null");
    }

    /** A status and a JSON body. */
    public record Reply(int status, ObjectNode body) {}

    public static boolean matches(String path) {
        return PATH.matcher(path).matches();
    }

    /**
     * Whether a request's workspace id names this workspace: its id (a GUID, compared ignoring case as Azure
     * does) or {@value #DEFAULT_WORKSPACE}.
     */
    boolean servesWorkspace(String path) {
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            return false;
        }
        String requested = matcher.group(1);
        if (requested.equalsIgnoreCase(DEFAULT_WORKSPACE)) {
            return true;
        }
        return !workspaceId.isEmpty() && requested.equalsIgnoreCase(workspaceId);
    }

    /** Answers a query request of an authenticated principal who may read every table. */
    public Reply handle(Request request, String principal) {
        return handle(request, principal, TableAccess.ALL);
    }

    /**
     * Answers a query request of an authenticated principal, who is recorded in LAQueryLogs; a query naming a
     * table outside {@code access} is answered 403 InsufficientAccessError naming the table.
     */
    public Reply handle(Request request, String principal, TableAccess access) {
        if (!servesWorkspace(Request.getPathInContext(request))) {
            // Log Analytics answers an id that names no workspace it knows with 404 WorkspaceNotFoundError;
            // answering with this workspace's rows would hand a client data it did not ask for
            return new Reply(
                    404,
                    errorBody(
                            "WorkspaceNotFoundError",
                            "The workspace could not be found: use this server's workspace id (vigil workspace"
                                    + " show) or '" + DEFAULT_WORKSPACE + "'"));
        }
        String query;
        Optional<String> timespan;
        try {
            if (request.getMethod().equals("GET")) {
                Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                query = fields.getValue("query");
                timespan = Optional.ofNullable(fields.getValue("timespan"));
            } else {
                Optional<String> body = readBody(request);
                if (body.isEmpty()) {
                    return new Reply(
                            413,
                            errorBody(
                                    "PayloadTooLargeError",
                                    "The request body is larger than " + MAX_BODY_BYTES + " bytes"));
                }
                JsonNode json = JSON.readTree(body.get());
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
            QueryResult result =
                    service.execute(query, timespan, new QueryService.Caller(principal, clientApp, access));
            ObjectNode body = tables(result);
            if (wantsRender(request)) {
                result.render().ifPresent(render -> body.set("render", render(render)));
            }
            return new Reply(200, body);
        } catch (QueryException exception) {
            if (exception.errorCode() == StandardErrorCode.FORBIDDEN) {
                return insufficientAccess(exception);
            }
            if (exception.errorCode().category() == ErrorCategory.USER) {
                return badArgument(exception.getMessage(), exception.diagnostics());
            }
            int status = QueryService.responseCode(exception);
            String code = switch (status) {
                case 400 -> "BadArgumentError";
                case 504 -> "GatewayTimeout";
                case 503 -> "ServiceUnavailableError";
                default -> "InternalServerError";
            };
            return engineError(status, code, exception);
        } catch (InterruptedException exception) {
            Thread.currentThread().interrupt();
            return new Reply(503, errorBody("ServiceUnavailableError", "The query was interrupted"));
        }
    }

    /**
     * The body as text, or empty when it is larger than {@link #MAX_BODY_BYTES}: a declared length is refused
     * before a byte is read, a chunked body as soon as it passes the limit.
     */
    private static Optional<String> readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > MAX_BODY_BYTES) {
            return Optional.empty();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = Content.Source.asInputStream(request)) {
            while (true) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                if (bytes.size() + read > MAX_BODY_BYTES) {
                    return Optional.empty();
                }
                bytes.write(buffer, 0, read);
            }
        }
        return Optional.of(bytes.toString(StandardCharsets.UTF_8));
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
        if (!result.warnings().isEmpty()) {
            // a result with warnings is a partial success, as Log Analytics reports a cut result (response-format)
            ObjectNode error = body.putObject("error");
            error.put("code", "PartialError");
            error.put("message", "There were some errors when processing your query.");
            ArrayNode details = error.putArray("details");
            for (QueryWarning warning : result.warnings()) {
                ObjectNode detail = detail(details, warning.code(), warning.message());
                if (warning.hasPosition()) {
                    position(detail.putObject("additionalProperties"), warning.line(), warning.column());
                }
            }
            QueryWarning first = result.warnings().get(0);
            ObjectNode inner =
                    error.putObject("innererror").put("code", first.code()).put("message", first.message());
            if (first.hasPosition()) {
                position(inner, first.line(), first.column());
            }
        }
        return body;
    }

    private static ObjectNode detail(ArrayNode details, String code, String message) {
        return details.addObject().put("code", code).put("message", message).put("target", "query");
    }

    private static void position(ObjectNode node, int line, int column) {
        node.put("line", line);
        node.put("pos", column);
    }

    private static ObjectNode errorBody(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    /**
     * A query naming a table the caller's key may not read: 403 with Log Analytics' error code for missing
     * permissions (api/errors: InsufficientAccessError), the table named in the message and in the detail.
     */
    private static Reply insufficientAccess(QueryException exception) {
        ObjectNode body = errorBody("InsufficientAccessError", exception.getMessage());
        ObjectNode error = (ObjectNode) body.path("error");
        ArrayNode details = error.putArray("details");
        for (Diagnostic diagnostic : exception.diagnostics()) {
            ObjectNode detail = detail(details, diagnostic.code().code(), diagnostic.message());
            position(detail.putObject("additionalProperties"), diagnostic.line(), diagnostic.column());
        }
        return new Reply(403, body);
    }

    /** A failure of the engine (timeout, store): the API's code, and Vigil's error code as the inner error. */
    private static Reply engineError(int status, String code, QueryException exception) {
        ObjectNode body = errorBody(code, exception.getMessage());
        ((ObjectNode) body.path("error"))
                .putObject("innererror")
                .put("code", exception.errorCode().name())
                .put("message", exception.getMessage());
        return new Reply(status, body);
    }

    /**
     * A rejected query: one detail per diagnostic, and an inner error chain of SyntaxError or SemanticError
     * then the first diagnostic (syntax errors carry SYN0002 as their inner code, like the service, and every
     * inner error its {@code kqlCode}).
     */
    private static Reply badArgument(String message, List<Diagnostic> diagnostics) {
        ObjectNode body = errorBody("BadArgumentError", message);
        if (diagnostics.isEmpty()) {
            return new Reply(400, body);
        }
        ObjectNode error = (ObjectNode) body.path("error");
        ArrayNode details = error.putArray("details");
        for (Diagnostic diagnostic : diagnostics) {
            ObjectNode detail = detail(details, diagnostic.code().code(), diagnostic.message());
            position(detail.putObject("additionalProperties"), diagnostic.line(), diagnostic.column());
        }
        Diagnostic first = diagnostics.get(0);
        boolean syntax = first.code().code().startsWith("KQL1");
        ObjectNode kind = error.putObject("innererror");
        if (syntax) {
            kind.put("code", "SyntaxError").put("message", "The query could not be parsed.");
        } else {
            kind.put("code", "SemanticError").put("message", "The query could not be resolved.");
        }
        ObjectNode inner = kind.putObject("innererror");
        if (syntax) {
            inner.put("code", "SYN0002");
        } else {
            inner.put("code", first.code().code());
        }
        inner.put("kqlCode", first.code().code());
        inner.put("message", first.message());
        position(inner, first.line(), first.column());
        return new Reply(400, body);
    }
}
