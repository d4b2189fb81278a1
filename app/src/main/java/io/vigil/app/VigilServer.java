package io.vigil.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.http.ApiKeys;
import io.vigil.app.http.AuthFailureLog;
import io.vigil.app.http.AuthLockouts;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRoutes;
import io.vigil.app.query.QueryApi;
import io.vigil.app.query.QueryService;
import io.vigil.app.ui.ConsoleApi;
import io.vigil.app.ui.DetectionConsoleApi;
import io.vigil.app.ui.UiAssets;
import io.vigil.engine.QueryLimits;
import io.vigil.forward.SinkHealth;
import io.vigil.metrics.Metrics;
import io.vigil.spi.EventStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: {@code GET /health} without auth, everything else behind an API key
 * ({@code Authorization: Bearer <key>}); errors in the Azure shape {@code {"error":{"code","message"}}}.
 */
public final class VigilServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final ServerConnector connector;
    private final String scheme;
    private final QueryService queries;
    private final SourceHealth sources;
    // set once the sinks have started; until then the server has no sinks to report
    private final AtomicReference<Supplier<List<SinkHealth>>> sinks = new AtomicReference<>(List::of);

    /**
     * A server for a runtime's workspace, whose ingestion routes feed the runtime's own pipeline (so HTTP,
     * syslog and the feeds are counted in one place). Loopback, an ephemeral port, plain HTTP and the default
     * limits unless the builder says otherwise.
     */
    public static Builder builder(VigilRuntime runtime, ApiKeys keys) {
        return new Builder(runtime, keys);
    }

    /** How to start a {@link VigilServer}: where it listens, whether it speaks TLS, and its limits. */
    public static final class Builder {
        private final VigilRuntime runtime;
        private final ApiKeys keys;
        private String host = "127.0.0.1";
        private int port;
        private Optional<SSLContext> tls = Optional.empty();
        private QueryLimits queryLimits = QueryLimits.DEFAULT;
        private HttpLimits httpLimits = HttpLimits.DEFAULT;

        private Builder(VigilRuntime runtime, ApiKeys keys) {
            this.runtime = requireNonNull(runtime, "runtime is null");
            this.keys = requireNonNull(keys, "keys is null");
        }

        /** The address and port to bind; port 0 takes an ephemeral one ({@link VigilServer#port()}). */
        public Builder bind(String host, int port) {
            this.host = requireNonNull(host, "host is null");
            this.port = port;
            return this;
        }

        /** HTTPS on the port when present (every API, {@code /health} included), plain HTTP otherwise. */
        public Builder tls(Optional<SSLContext> tls) {
            this.tls = requireNonNull(tls, "tls is null");
            return this;
        }

        /** The limits of every query the API runs. */
        public Builder queryLimits(QueryLimits queryLimits) {
            this.queryLimits = requireNonNull(queryLimits, "queryLimits is null");
            return this;
        }

        /**
         * The limits of the HTTP server itself: connections, threads, header size and timeouts (applied to
         * Jetty), the in-flight body budget and rate limits (applied by the ingestion routes).
         */
        public Builder httpLimits(HttpLimits httpLimits) {
            this.httpLimits = requireNonNull(httpLimits, "httpLimits is null");
            return this;
        }

        public VigilServer build() {
            return new VigilServer(this);
        }
    }

    private VigilServer(Builder options) {
        String host = options.host;
        int port = options.port;
        EventStore store = options.runtime.store();
        Metrics metrics = options.runtime.metrics();
        Optional<SSLContext> tls = options.tls;
        HttpLimits httpLimits = options.httpLimits;
        // platform threads, not virtual ones: a DuckDB query runs in native code, which pins a virtual
        // thread to its carrier, and with as many carriers as cores two long queries would stall every request
        QueuedThreadPool threads = new QueuedThreadPool(
                httpLimits.maxThreads(), Math.min(HttpLimits.MIN_THREADS, httpLimits.maxThreads()));
        threads.setName("vigil-http");
        this.server = new Server(threads);
        this.scheme = tls.isPresent() ? "https" : "http";
        RequestHeaderTimeout headerTimeout = new RequestHeaderTimeout(httpLimits.headerTimeout(), metrics);
        this.connector = connector(server, tls, httpLimits, headerTimeout);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(httpLimits.idleTimeout().toMillis());
        connector.addEventListener(headerTimeout);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(httpLimits.maxConnections(), connector));
        server.setErrorHandler(new JsonErrorHandler(metrics, httpLimits.maxHeaderBytes()));
        this.queries = new QueryService(store, Clock.systemUTC(), options.queryLimits);
        this.sources = new SourceHealth(metrics, Clock.systemUTC(), SourceHealth.DEFAULT_SAMPLE_INTERVAL);
        // the HTTP ingestion APIs are always served; listeners and feeds are registered by whoever starts them
        sources.register("data_collector", "", "HTTP Data Collector API, POST /api/logs");
        sources.register("appinsights", "", "Application Insights, POST /v2/track and /v2.1/track");
        sources.register("logs_ingestion", "", "Logs Ingestion API, POST /dataCollectionRules/{id}/streams/{stream}");
        server.setHandler(new Routes(
                options.runtime,
                options.keys,
                new QueryApi(queries, store.workspaceId()),
                new ConsoleApi(queries.engine(), store, options.keys),
                new SecurityInsightsApi(options.runtime, queries.engine()),
                new DetectionConsoleApi(queries.engine(), store, options.runtime.clock(), options.runtime.audit()),
                sources,
                sinks,
                httpLimits));
    }

    /** Registers a listener or feed with the per-source health view, so it is listed before its first event. */
    public void registerSource(String input, String source, String description) {
        sources.register(input, source, description);
    }

    /** Where {@code GET /v1/sinks} reads each running sink's delivery health from. */
    public void registerSinks(Supplier<List<SinkHealth>> health) {
        sinks.set(requireNonNull(health, "health is null"));
    }

    private static ServerConnector connector(
            Server server, Optional<SSLContext> tls, HttpLimits limits, RequestHeaderTimeout headerTimeout) {
        HttpConfiguration configuration = new HttpConfiguration();
        configuration.setRequestHeaderSize(limits.maxHeaderBytes());
        configuration.addCustomizer(headerTimeout);
        if (tls.isEmpty()) {
            return new ServerConnector(server, new HttpConnectionFactory(configuration));
        }
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // clients reach a self-hosted server by IP literal too, which sends no SNI to check against the certificate
        secure.setSniHostCheck(false);
        configuration.addCustomizer(secure);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.get());
        return new ServerConnector(
                server,
                new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(configuration));
    }

    public void start() throws Exception {
        sources.start();
        server.start();
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        // running queries are cancelled first: Jetty's stop waits for their requests, and DuckDB stops a
        // query only when interrupted, so a long one would otherwise hold the shutdown
        queries.close();
        try {
            server.stop();
        } finally {
            sources.close();
        }
    }

    private static final class Routes extends Handler.Abstract {
        private final EventStore store;
        private final ApiKeys keys;
        private final Metrics metrics;
        private final QueryApi queryApi;
        private final ConsoleApi consoleApi;
        private final SecurityInsightsApi securityInsights;
        private final DetectionConsoleApi detectionConsole;
        private final UiAssets uiAssets = new UiAssets();
        private final IngestionRoutes ingestion;
        private final SourceHealth sources;
        private final AtomicReference<Supplier<List<SinkHealth>>> sinks;
        private final AuthLockouts lockouts;
        private final AuthFailureLog authFailures;

        Routes(
                VigilRuntime runtime,
                ApiKeys keys,
                QueryApi queryApi,
                ConsoleApi consoleApi,
                SecurityInsightsApi securityInsights,
                DetectionConsoleApi detectionConsole,
                SourceHealth sources,
                AtomicReference<Supplier<List<SinkHealth>>> sinks,
                HttpLimits httpLimits) {
            this.sources = sources;
            this.sinks = sinks;
            this.consoleApi = consoleApi;
            this.securityInsights = securityInsights;
            this.detectionConsole = detectionConsole;
            this.store = runtime.store();
            this.keys = keys;
            this.metrics = runtime.metrics();
            this.queryApi = queryApi;
            this.lockouts = new AuthLockouts(httpLimits.authLockout(), Clock.systemUTC());
            this.authFailures = new AuthFailureLog(Clock.systemUTC(), lockouts);
            this.ingestion = IngestionRoutes.forPipeline(runtime.pipeline(), keys, httpLimits, authFailures);
            metrics.describe("http_requests_total", "HTTP requests, per route and status");
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            UiAssets.securityHeaders(response.getHeaders());
            if (UiAssets.handles(path) && (method.equals("GET") || method.equals("HEAD"))) {
                // the UI's files hold no data and must load before the user can sign in
                return ui(path, response, callback);
            }
            if (path.equals("/health")) {
                return health(response, callback);
            }
            Optional<Duration> lockedOut = lockouts.lockedFor(Request.getRemoteAddr(request));
            if (lockedOut.isPresent()) {
                // its credential is not even checked: a guesser learns nothing until the lockout ends
                return lockedOut(response, callback, lockedOut.get());
            }
            if (ingestion.handles(path)) {
                // each ingestion API authenticates its own way (SharedKey, iKey, bearer)
                return ingestion.handle(request, response, callback);
            }
            Optional<ApiKeys.Principal> principal = keys.authenticate(bearer(request));
            if (principal.isEmpty()) {
                authFailures.failed(
                        Request.getRemoteAddr(request), "api", "no valid bearer API key for " + method + " " + path);
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
                return error(
                        response,
                        callback,
                        HttpStatus.UNAUTHORIZED_401,
                        "AuthorizationRequiredError",
                        "Valid authentication was not provided: send 'Authorization: Bearer <api key>'.");
            }
            if ((path.equals("/metrics") || path.equals("/v1/sources"))
                    && method.equals("GET")
                    && principal.get().tables().isPresent()) {
                // the counters name the tables that receive data, per input and stream: a key limited to some
                // tables would learn about the others, and the counters cannot be split by table honestly
                return error(
                        response,
                        callback,
                        HttpStatus.FORBIDDEN_403,
                        "InsufficientAccessError",
                        "The principal " + principal.get().name() + " may read only some tables; " + path
                                + " lists every input and table, and needs a key that may read every table.");
            }
            if (path.equals("/metrics") && method.equals("GET")) {
                count("metrics", 200);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                Content.Sink.write(response, true, metrics.renderPrometheus(), callback);
                return true;
            }
            if (path.equals("/v1/sources") && method.equals("GET")) {
                count("sources", 200);
                return json(response, callback, 200, sourcesBody());
            }
            if (path.equals("/v1/sinks") && method.equals("GET")) {
                count("sinks", 200);
                return json(response, callback, 200, sinksBody());
            }
            if (ConsoleApi.handles(method, path)) {
                ConsoleApi.Reply reply = consoleApi.handle(request, principal.get());
                count("console", reply.status());
                return json(response, callback, reply.status(), reply.body());
            }
            if (DetectionConsoleApi.handles(method, path)) {
                return detectionConsole(request, response, callback, principal.get());
            }
            Optional<String> insightsResource = securityInsights.resource(path);
            if (insightsResource.isPresent()) {
                return securityInsights(request, response, callback, path, insightsResource.get(), principal.get());
            }
            if (QueryApi.matches(path) && (method.equals("POST") || method.equals("GET"))) {
                QueryApi.Reply reply = queryApi.handle(
                        request, principal.get().name(), principal.get().tableAccess());
                count("query", reply.status());
                if (reply.status() == HttpStatus.PAYLOAD_TOO_LARGE_413) {
                    // the rest of an oversized body is not read: the connection cannot carry another request
                    response.getHeaders().put(HttpHeader.CONNECTION, "close");
                }
                return json(response, callback, reply.status(), reply.body());
            }
            return error(
                    response,
                    callback,
                    HttpStatus.NOT_FOUND_404,
                    "PathNotFoundError",
                    "The requested path does not exist: " + method + " " + path);
        }

        private boolean securityInsights(
                Request request,
                Response response,
                Callback callback,
                String path,
                String resource,
                ApiKeys.Principal principal) {
            String armPrefix = path.substring(0, path.length() - resource.length());
            SecurityInsightsApi.Reply reply;
            try {
                reply = securityInsights.handle(request, resource, armPrefix, principal);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(response, callback, 503, "ServiceUnavailable", "The server is shutting down.");
            } catch (java.io.IOException e) {
                return error(response, callback, 500, "InternalError", "Reading the rule library failed.");
            }
            count("securityinsights", reply.status());
            return json(response, callback, reply.status(), reply.body());
        }

        private boolean detectionConsole(
                Request request, Response response, Callback callback, ApiKeys.Principal principal) {
            ConsoleApi.Reply reply;
            try {
                reply = detectionConsole.handle(request, principal);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return error(response, callback, 503, "ServiceUnavailable", "The server is shutting down.");
            } catch (java.io.IOException e) {
                return error(response, callback, 500, "InternalError", "Reading the rule library failed.");
            }
            count("detection-console", reply.status());
            return json(response, callback, reply.status(), reply.body());
        }

        private boolean ui(String path, Response response, Callback callback) {
            if (!path.startsWith(UiAssets.PREFIX)) {
                count("ui", HttpStatus.FOUND_302);
                response.setStatus(HttpStatus.FOUND_302);
                response.getHeaders().put(HttpHeader.LOCATION, UiAssets.PREFIX);
                callback.succeeded();
                return true;
            }
            Optional<UiAssets.Asset> asset = uiAssets.find(path);
            if (asset.isEmpty()) {
                return error(
                        response,
                        callback,
                        HttpStatus.NOT_FOUND_404,
                        "PathNotFoundError",
                        "The web UI has no file " + path);
            }
            count("ui", 200);
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, asset.get().contentType());
            response.getHeaders().put("Content-Security-Policy", asset.get().contentSecurityPolicy());
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.write(true, java.nio.ByteBuffer.wrap(asset.get().bytes()), callback);
            return true;
        }

        private ObjectNode sinksBody() {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode list = body.putArray("sinks");
            for (SinkHealth health : sinks.get().get()) {
                ObjectNode sink = list.addObject();
                sink.put("name", health.name());
                sink.put("type", health.type());
                sink.put("endpoint", health.endpoint());
                sink.put("state", health.caughtUp() || health.lastError().isEmpty() ? "connected" : "retrying");
                sink.put("sent", health.sent());
                sink.put("failed", health.failed());
                sink.put("retried", health.retried());
                sink.put("deadLettered", health.deadLettered());
                sink.put("position", health.position());
                sink.put("caughtUp", health.caughtUp());
                sink.put("lagSeconds", health.lagSeconds());
                sink.put("lagEvents", health.lagEvents());
                sink.put("lastError", health.lastError().orElse(null));
                sink.put(
                        "lastErrorTime",
                        health.lastErrorTime().map(Object::toString).orElse(null));
            }
            return body;
        }

        private ObjectNode sourcesBody() {
            ObjectNode body = JSON.createObjectNode();
            body.put("window", SourceHealth.RATE_WINDOW.toString());
            ArrayNode list = body.putArray("sources");
            for (SourceHealth.Report report : sources.reports()) {
                ObjectNode source = list.addObject();
                source.put("input", report.key().input());
                source.put("source", report.key().source());
                source.put("description", report.description());
                source.put("eventsTotal", report.eventsTotal());
                // two decimals: a rate, not a count
                source.put("eventsPerSecond", Math.round(report.eventsPerSecond() * 100) / 100.0);
                source.put("bytesTotal", report.bytesTotal());
                source.put("failuresTotal", report.failuresTotal());
                ObjectNode failures = source.putObject("failures");
                report.failures().forEach(failures::put);
                if (report.lastEventTime().isPresent()) {
                    source.put("lastEventTime", report.lastEventTime().get().toString());
                } else {
                    source.putNull("lastEventTime");
                }
                if (report.lag().isPresent()) {
                    ObjectNode lag = source.putObject("lag");
                    lag.put("unit", report.lag().get().unit());
                    lag.put("value", report.lag().get().value());
                } else {
                    source.putNull("lag");
                }
            }
            return body;
        }

        private boolean health(Response response, Callback callback) {
            boolean open = store.isOpen();
            ObjectNode body = JSON.createObjectNode();
            if (open) {
                body.put("status", "ok");
                body.put("store", "open");
                body.put("ingest", "running");
            } else {
                body.put("status", "unavailable");
                body.put("store", "closed");
                body.put("ingest", "stopped");
            }
            body.put("queuedRows", store.queuedRows());
            int status = 503;
            if (open) {
                status = 200;
            }
            count("health", status);
            return json(response, callback, status, body);
        }

        private static String bearer(Request request) {
            String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (header == null) {
                return null;
            }
            if (header.toLowerCase(Locale.ROOT).startsWith("bearer ")) {
                return header.substring("bearer ".length());
            }
            return null;
        }

        private boolean error(Response response, Callback callback, int status, String code, String message) {
            count("error", status);
            ObjectNode body = JSON.createObjectNode();
            ObjectNode error = body.putObject("error");
            error.put("code", code);
            error.put("message", message);
            return json(response, callback, status, body);
        }

        private boolean lockedOut(Response response, Callback callback, Duration remaining) {
            long seconds = Math.max(1, (remaining.toMillis() + 999) / 1000);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(seconds));
            // a request body, if any, is not read: the connection cannot carry another request
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return error(
                    response,
                    callback,
                    HttpStatus.TOO_MANY_REQUESTS_429,
                    "TooManyFailedAuthentications",
                    "Too many failed authentications from this address: retry after " + seconds + " seconds.");
        }

        private void count(String route, int status) {
            metrics.counter("http_requests_total", "route", route, "status", Integer.toString(status))
                    .increment();
        }

        private static boolean json(Response response, Callback callback, int status, ObjectNode body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            byte[] bytes = (body.toString() + "\n").getBytes(StandardCharsets.UTF_8);
            response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
            return true;
        }
    }
}
