package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.http.ApiKeys;
import io.vigil.app.http.HttpLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection-level limits on the real server with raw sockets on 127.0.0.1: oversized headers, the
 * connection limit, and clients that send their headers too slowly; a normal client is served throughout.
 */
@Timeout(120)
class HttpServerLimitsTest {
    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    @TempDir
    Path dataDir;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private VigilServer start(VigilRuntime runtime, HttpLimits limits) throws Exception {
        VigilServer server = VigilServer.builder(runtime, ApiKeys.load(runtime.workspace()))
                .httpLimits(limits)
                .build();
        server.start();
        return server;
    }

    private int health(VigilServer server) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void headersLargerThanTheLimitGet431InTheAzureShape() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir);
                VigilServer server = start(runtime, HttpLimits.DEFAULT)) {
            try (RawHttpConnection client = RawHttpConnection.open(server.port())) {
                client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "p".repeat(9000) + "\r\n\r\n");
                String answer = client.awaitClosedByServer(Duration.ofSeconds(10));
                assertThat(answer).startsWith("HTTP/1.1 431 ");
                assertThat(answer)
                        .contains("application/json")
                        .contains("\"code\":\"RequestHeaderFieldsTooLarge\"")
                        .contains("limit of 8192 bytes");
            }
            assertThat(runtime.metrics().value("http_requests_total", "route", "error", "status", "431"))
                    .isEqualTo(1);
            assertThat(health(server)).isEqualTo(200);
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitUntilOneCloses() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir);
                VigilServer server =
                        start(runtime, HttpLimits.builder().maxConnections(2).build())) {
            List<RawHttpConnection> idle = new ArrayList<>();
            idle.add(RawHttpConnection.open(server.port()));
            idle.add(RawHttpConnection.open(server.port()));
            // both are accepted (a request on one of them is answered once the limit is reached)
            Thread.sleep(300);
            try (RawHttpConnection waiting = RawHttpConnection.open(server.port())) {
                waiting.send(HEALTH);
                Thread.sleep(1_000);
                assertThat(waiting.closedByServer())
                        .as("the third connection is not accepted while two are open")
                        .isFalse();
                idle.getFirst().close();
                String answer = waiting.awaitClosedByServer(Duration.ofSeconds(10));
                assertThat(answer).startsWith("HTTP/1.1 200 ").contains("\"status\":\"ok\"");
            } finally {
                for (RawHttpConnection connection : idle) {
                    connection.close();
                }
            }
        }
    }

    @Test
    void headersTrickledFasterThanTheIdleTimeoutStillGet408AfterTheHeaderTimeout() throws Exception {
        // the idle timeout never fires on a byte every 100 ms; the header timeout (1 s) does
        HttpLimits limits = HttpLimits.builder()
                .idleTimeout(Duration.ofSeconds(5))
                .headerTimeout(Duration.ofSeconds(1))
                .minBodyBytesPerSecond(1024)
                .build();
        try (VigilRuntime runtime = VigilRuntime.open(dataDir);
                VigilServer server = start(runtime, limits)) {
            try (RawHttpConnection slow = RawHttpConnection.open(server.port())) {
                CompletableFuture<Integer> sent = CompletableFuture.supplyAsync(() -> {
                    try {
                        return slow.sendSlowly(
                                HEALTH.repeat(3).getBytes(UTF_8), Duration.ofMillis(100), Duration.ofSeconds(30));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return -1;
                    }
                });
                // the server keeps serving others meanwhile
                assertThat(health(server)).isEqualTo(200);
                String answer = slow.awaitClosedByServer(Duration.ofSeconds(10));
                assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"code\":\"RequestTimeout\"");
                assertThat(slow.age()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                assertThat(sent.get(10, TimeUnit.SECONDS))
                        .as("bytes written before the server closed")
                        .isLessThan(HEALTH.length());
            }
            assertThat(runtime.metrics().value("http_requests_total", "route", "none", "status", "408"))
                    .isEqualTo(1);
            assertThat(health(server)).isEqualTo(200);
        }
    }

    @Test
    void headersThatStopAreAnswered408BeforeTheIdleTimeoutClosesSilently() throws Exception {
        // Jetty closes a connection idle within its headers without a word; the header timeout, never
        // longer than the idle timeout, answers first
        HttpLimits limits = HttpLimits.builder()
                .idleTimeout(Duration.ofSeconds(4))
                .headerTimeout(Duration.ofMillis(700))
                .minBodyBytesPerSecond(1024)
                .build();
        try (VigilRuntime runtime = VigilRuntime.open(dataDir);
                VigilServer server = start(runtime, limits)) {
            try (RawHttpConnection slow = RawHttpConnection.open(server.port())) {
                slow.send("GET /health HTTP/1.1\r\nHo");
                String answer = slow.awaitClosedByServer(Duration.ofSeconds(10));
                assertThat(answer).startsWith("HTTP/1.1 408 ");
                assertThat(slow.age()).isBetween(Duration.ofMillis(700), Duration.ofSeconds(4));
            }
            assertThat(health(server)).isEqualTo(200);
        }
    }
}
