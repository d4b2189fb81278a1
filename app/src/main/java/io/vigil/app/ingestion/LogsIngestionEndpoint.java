package io.vigil.app.ingestion;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.ApiKeys;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.logsingestion.DcrFlowFormat;
import io.vigil.ingest.IngestInput;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.IngestResult;
import io.vigil.spi.EventStore;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code POST /dataCollectionRules/{dcrImmutableId}/streams/{streamName}?api-version=2023-01-01}, the
 * Logs Ingestion API ("Logs Ingestion API in Azure Monitor",
 * learn.microsoft.com/azure/azure-monitor/logs/logs-ingestion-api-overview): a JSON array of records,
 * optionally {@code Content-Encoding: gzip}, at most 1 MB compressed or not ("Azure Monitor service
 * limits", Logs Ingestion API), authenticated with {@code Authorization: Bearer <token>} where the token
 * is a Vigil API key. Answers 204 once every record is committed; errors use the Azure shape
 * {@code {"error":{"code","message"}}}.
 */
final class LogsIngestionEndpoint {
    static final String INPUT = "logs_ingestion";
    static final Pattern PATH = Pattern.compile("/dataCollectionRules/([^/]+)/streams/([^/]+)");
    static final Set<String> API_VERSIONS = Set.of("2023-01-01", "2021-11-01-preview");

    /** Who sends without a key when the admin opened the endpoint to anonymous senders. */
    static final ApiKeys.Principal ANONYMOUS = new ApiKeys.Principal("anonymous", ApiKeys.Role.CONTRIBUTOR);

    /** "Maximum size of API call: 1 MB", for compressed and uncompressed data alike. */
    static final long MAX_BODY_BYTES = 1024 * 1024;

    private static final IngestionRoutes.BodyCodes BODY_CODES = new IngestionRoutes.BodyCodes(
            "ContentLengthLimitExceeded", "the limit of 1 MB (compressed or uncompressed)", "InvalidPayload");

    private final ApiKeys keys;
    private final DataCollectionRules rules;
    private final DcrTransform transform;
    private final EventStore store;
    private final IngestPipeline pipeline;
    private final RateLimiter rates;
    private final Clock clock;
    /** Whether the admin opened the endpoint to requests without a bearer key. */
    private final boolean anonymous;

    LogsIngestionEndpoint(
            ApiKeys keys,
            DataCollectionRules rules,
            DcrTransform transform,
            EventStore store,
            IngestPipeline pipeline,
            RateLimiter rates,
            Clock clock,
            boolean anonymous) {
        this.anonymous = anonymous;
        this.keys = requireNonNull(keys, "keys is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.transform = requireNonNull(transform, "transform is null");
        this.store = requireNonNull(store, "store is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.rates = requireNonNull(rates, "rates is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    static boolean matches(String path) {
        return PATH.matcher(path).matches();
    }

    /**
     * The rule and stream are looked up first, so that even a refused request is counted under its DCR
     * stream when that exists (a name from configuration, never from an unknown sender); everything the
     * headers decide is checked before the body is read; the rate limit is per API key.
     */
    boolean handle(HttpExchange exchange, String path) throws IOException, InterruptedException {
        Matcher matcher = PATH.matcher(path);
        if (!matcher.matches()) {
            return exchange.refuse(
                    RejectReason.NOT_FOUND, 404, "NotFound", "The requested path does not exist: " + path);
        }
        String immutableId = matcher.group(1);
        String stream = matcher.group(2);
        Optional<DataCollectionRule> rule = rules.find(immutableId);
        if (rule.isPresent() && rule.get().streams().containsKey(stream)) {
            exchange.source(immutableId + "/" + stream);
        }
        if (!exchange.request().getMethod().equals("POST")) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    405,
                    "MethodNotAllowed",
                    "Only POST is supported on the Logs Ingestion API");
        }
        String token = bearer(exchange);
        Optional<ApiKeys.Principal> principal = keys.authenticate(token);
        if (principal.isEmpty() && anonymous && token == null) {
            principal = Optional.of(ANONYMOUS);
        }
        if (principal.isEmpty()) {
            exchange.header(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            return exchange.refuse(
                    RejectReason.UNAUTHORIZED,
                    401,
                    "InvalidAuthenticationToken",
                    "Valid authentication was not provided: send 'Authorization: Bearer <api key>'.");
        }
        if (!principal.get().role().includes(ApiKeys.Role.CONTRIBUTOR)) {
            return exchange.refuse(
                    RejectReason.FORBIDDEN,
                    403,
                    "InsufficientAccessError",
                    "Principal '" + principal.get().name() + "' (role "
                            + principal.get().role().label()
                            + ") may not ingest data; a contributor or admin key is needed.");
        }
        Optional<String> apiVersion = queryParameter(exchange, "api-version");
        if (apiVersion.isEmpty()) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "MissingApiVersionParameter",
                    "The api-version query parameter is required, e.g. api-version=2023-01-01");
        }
        if (!API_VERSIONS.contains(apiVersion.get())) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidApiVersionParameter",
                    "The api-version '" + apiVersion.get() + "' is not supported; supported versions: "
                            + new java.util.TreeSet<>(API_VERSIONS));
        }
        if (rule.isEmpty()) {
            return exchange.refuse(
                    RejectReason.NOT_FOUND,
                    404,
                    "NotFound",
                    "Data collection rule with immutable Id '" + immutableId + "' not found.");
        }
        List<io.vigil.spi.Column> declared = rule.get().streams().get(stream);
        if (declared == null) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidStream",
                    "Stream '" + stream + "' is not declared in data collection rule " + immutableId + "; declared: "
                            + rule.get().streams().keySet());
        }
        List<DataCollectionRule.DataFlow> flows = rule.get().flowsOf(stream);
        if (flows.isEmpty()) {
            return exchange.refuse(
                    RejectReason.INVALID_REQUEST,
                    400,
                    "InvalidStream",
                    "No data flow of data collection rule " + immutableId + " reads stream '" + stream + "'.");
        }
        if (rates.acquire(INPUT, principal.get().name()) instanceof RateLimiter.Decision.Limited limited) {
            return exchange.refuse(
                    RejectReason.RATE_LIMITED,
                    429,
                    "TooManyRequests",
                    "Principal '" + principal.get().name() + "' sends more requests than the server's rate limit;"
                            + " retry after " + limited.retryAfterSeconds() + " s.",
                    limited.retryAfterSeconds());
        }
        byte[] bytes;
        switch (exchange.readBody(MAX_BODY_BYTES)) {
            case HttpExchange.Body.Refusal refusal -> {
                return IngestionRoutes.refuseBody(exchange, refusal, BODY_CODES);
            }
            case HttpExchange.Body.Read read -> bytes = read.bytes();
        }
        boolean gzip = exchange.header("Content-Encoding")
                .map(value -> value.toLowerCase(Locale.ROOT).contains("gzip"))
                .orElse(false);
        if (gzip) {
            try {
                switch (exchange.gunzip(bytes, MAX_BODY_BYTES)) {
                    case HttpExchange.Body.Refusal refusal -> {
                        return IngestionRoutes.refuseBody(exchange, refusal, BODY_CODES);
                    }
                    case HttpExchange.Body.Read read -> bytes = read.bytes();
                }
            } catch (IOException e) {
                return exchange.refuse(
                        RejectReason.INVALID_BODY,
                        400,
                        "InvalidContentEncoding",
                        "Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
            }
        }
        List<ObjectNode> records = new ArrayList<>();
        JsonNode root;
        try {
            // content after the array would otherwise be ignored while the request is acknowledged
            root = JsonRecords.MAPPER
                    .reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(bytes);
        } catch (IOException e) {
            return exchange.refuse(
                    RejectReason.INVALID_BODY,
                    400,
                    "InvalidPayload",
                    "The body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(root instanceof ArrayNode array)) {
            return exchange.refuse(
                    RejectReason.INVALID_BODY, 400, "InvalidPayload", "The body must be a JSON array of records.");
        }
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof ObjectNode record)) {
                return exchange.refuse(
                        RejectReason.INVALID_BODY, 400, "InvalidPayload", "Record [" + i + "] is not a JSON object.");
            }
            records.add(record);
        }
        // every flow's transform must run before anything is stored, so a refusal stores nothing
        List<DcrTransform.Transformed> outputs = new ArrayList<>();
        for (DataCollectionRule.DataFlow flow : flows) {
            switch (transform.apply(flow.transformKql(), declared, records)) {
                case DcrTransform.Refused refused -> {
                    return exchange.refuse(
                            RejectReason.INVALID_BODY,
                            400,
                            "InvalidTransformQuery",
                            "Data flow to " + flow.outputStream() + ": " + refused.message());
                }
                case DcrTransform.Transformed transformed -> outputs.add(transformed);
            }
        }
        Instant now = clock.instant();
        long rows = 0;
        long deadLetters = 0;
        Optional<String> firstFailure = Optional.empty();
        String source = "/dataCollectionRules/" + immutableId + "/streams/" + stream;
        for (int i = 0; i < flows.size(); i++) {
            DcrFlowFormat format = new DcrFlowFormat(
                    flows.get(i).outputTable(),
                    !flows.get(i).transformKql().strip().equals("source"),
                    outputs.get(i).columns(),
                    outputs.get(i).records(),
                    now,
                    store::ensureCustomTable);
            byte[] counted = bytes;
            if (i > 0) {
                counted = new byte[0];
            }
            IngestResult result;
            try {
                result = pipeline.ingest(
                        new IngestInput(INPUT, immutableId + "/" + stream), source, counted, Optional.of(format));
            } catch (VigilException e) {
                return IngestionRoutes.failure(exchange, e);
            }
            rows += result.rows();
            deadLetters += result.deadLetters();
            if (firstFailure.isEmpty()) {
                firstFailure = format.firstFailure();
            }
        }
        if (rows == 0 && deadLetters > 0) {
            // dead-lettered and counted as events_failed_total: not a request rejection as well
            return exchange.json(
                    400,
                    HttpExchange.azureError(
                            "InvalidPayload",
                            "None of the " + records.size()
                                    + " record(s) matched the declared column types of stream '" + stream
                                    + "'; the first: " + firstFailure.orElse("(no detail)")
                                    + "; they are kept in the dead-letter table"));
        }
        return exchange.empty(204);
    }

    private static String bearer(HttpExchange exchange) {
        Optional<String> header = exchange.header("Authorization");
        if (header.isPresent() && header.get().regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
            return header.get().substring("Bearer ".length());
        }
        return null;
    }

    static Optional<String> queryParameter(HttpExchange exchange, String name) {
        String query = exchange.request().getHttpURI().getQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return Optional.of(java.net.URLDecoder.decode(
                        pair.substring(name.length() + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            return text.substring(0, newline);
        }
        return text;
    }
}
