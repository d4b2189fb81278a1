package io.vigil.app;

import io.vigil.app.http.HttpLimits;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The HTTP server's limits ({@link HttpLimits}) as flags of {@code vigil server} and {@code vigil demo}; the
 * defaults are {@link HttpLimits#DEFAULT} (a test checks that they agree).
 */
final class HttpLimitFlags {
    @Option(
            names = "--http-idle-timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "Close a connection that sends nothing for this long; a request waiting for its body"
                    + " gets 408. 500ms, 30s, 2m or ISO 8601. Default: ${DEFAULT-VALUE}")
    String idleTimeout;

    @Option(
            names = "--http-header-timeout",
            paramLabel = "DURATION",
            defaultValue = "20s",
            description = "A request's headers must arrive whole within this time of their first byte, else 408"
                    + " and the connection is closed. Default: ${DEFAULT-VALUE}")
    String headerTimeout;

    @Option(
            names = "--http-min-body-rate",
            paramLabel = "BYTES_PER_SECOND",
            defaultValue = "1024",
            description = "A request body may take the idle timeout plus one second per this many bytes it"
                    + " has brought, else 408; 0 = only the idle timeout. Default: ${DEFAULT-VALUE}")
    long minBodyRate;

    @Option(
            names = "--http-max-connections",
            paramLabel = "N",
            defaultValue = "1024",
            description = "Open HTTP connections at most; more wait to be accepted. Default: ${DEFAULT-VALUE}")
    int maxConnections;

    @Option(
            names = "--http-max-header-bytes",
            paramLabel = "N",
            defaultValue = "8192",
            description = "Request line and headers at most, else 431. Default: ${DEFAULT-VALUE}")
    int maxHeaderBytes;

    @Option(
            names = "--http-max-threads",
            paramLabel = "N",
            defaultValue = "200",
            description = "HTTP request threads at most. Default: ${DEFAULT-VALUE}")
    int maxThreads;

    @Option(
            names = "--http-max-inflight-body-bytes",
            paramLabel = "N",
            defaultValue = "268435456",
            description = "Request body bytes all ingestion requests hold at once; a request that would pass"
                    + " it gets 503 with Retry-After. Default: ${DEFAULT-VALUE} (256 MB)")
    long maxInFlightBodyBytes;

    @Option(
            names = "--http-rate-limit",
            paramLabel = "REQUESTS_PER_SECOND",
            defaultValue = "0",
            description = "Ingestion requests per second per source (endpoint and workspace, API key or"
                    + " endpoint); more get 429 with Retry-After. 0 = no limit. Default: ${DEFAULT-VALUE}")
    double rateLimit;

    @Option(
            names = "--http-rate-burst",
            paramLabel = "N",
            defaultValue = "100",
            description = "Requests a source may send at once above --http-rate-limit. Default: ${DEFAULT-VALUE}")
    int rateBurst;

    @Option(
            names = "--allow-anonymous",
            paramLabel = "INPUT",
            description = "Open an ingestion input to senders without credentials: data_collector (no SharedKey),"
                    + " logs_ingestion (no bearer key) or appinsights (any instrumentation key); repeatable."
                    + " Default: none")
    List<String> anonymousInputs = new ArrayList<>();

    @Option(
            names = "--http-auth-max-failures",
            paramLabel = "N",
            defaultValue = "30",
            description = "Failed authentications an address may have within --http-auth-lockout before its"
                    + " requests are answered 429 for that long (0 = never). Default: ${DEFAULT-VALUE}")
    int authMaxFailures;

    @Option(
            names = "--http-auth-lockout",
            paramLabel = "DURATION",
            defaultValue = "1m",
            description = "The window of --http-auth-max-failures, and how long an address is then refused."
                    + " Default: ${DEFAULT-VALUE}")
    String authLockout;

    HttpLimits limits() {
        try {
            Duration lockout = Durations.parse("--http-auth-lockout", authLockout);
            return HttpLimits.builder()
                    .idleTimeout(Durations.parse("--http-idle-timeout", idleTimeout))
                    .headerTimeout(Durations.parse("--http-header-timeout", headerTimeout))
                    .minBodyBytesPerSecond(minBodyRate)
                    .maxConnections(maxConnections)
                    .maxHeaderBytes(maxHeaderBytes)
                    .maxThreads(maxThreads)
                    .maxInFlightBodyBytes(maxInFlightBodyBytes)
                    .rateLimit(new HttpLimits.RateLimit(rateLimit, rateBurst))
                    .anonymousInputs(Set.copyOf(anonymousInputs))
                    .authLockout(new HttpLimits.AuthLockout(authMaxFailures, lockout, lockout))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "HTTP limits: " + e.getMessage());
        }
    }
}
