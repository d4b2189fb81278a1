package io.vigil.app.ingestion;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.RawHttpConnection;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRequests.Endpoint;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Slow senders on a socket against each ingestion endpoint (slowloris and its body variants), with short
 * timeouts: each gets a 408 after its timeout, in the endpoint's error shape once its headers are in, and
 * nothing of its records is stored, while a normal sender's request to the same endpoint is served.
 */
@Timeout(120)
class IngestionSlowClientTest {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private IngestionRequests requests;

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(
                dataDir,
                HttpLimits.builder()
                        .idleTimeout(IDLE)
                        .headerTimeout(IDLE)
                        .minBodyBytesPerSecond(1000)
                        .build());
        requests = new IngestionRequests(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void headersSentAByteAtATimeGet408(Endpoint endpoint) throws Exception {
        byte[] body = requests.body(endpoint, "slow-headers", 3);
        byte[] request = concat(requests.head(endpoint, body.length).getBytes(UTF_8), body);
        try (RawHttpConnection slow = RawHttpConnection.open(server.server.port())) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    slow.sendSlowly(request, Duration.ofMillis(100), WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertNormalSenderIsServed(endpoint);
            String answer = slow.awaitClosedByServer(WAIT);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(slow.age()).isGreaterThanOrEqualTo(IDLE);
            sender.join(WAIT.toMillis());
        }
        assertThat(requests.stored(endpoint, "slow-headers")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void aBodyThatStopsForTheIdleTimeoutGets408InTheEndpointsShape(Endpoint endpoint) throws Exception {
        byte[] body = requests.body(endpoint, "stopped-body", 3);
        try (RawHttpConnection slow = RawHttpConnection.open(server.server.port())) {
            slow.send(requests.head(endpoint, body.length));
            slow.send(Arrays.copyOf(body, body.length / 2));
            assertNormalSenderIsServed(endpoint);
            String answer = slow.awaitClosedByServer(WAIT);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertTimeoutInShape(endpoint, answer);
            assertThat(slow.age()).isGreaterThanOrEqualTo(IDLE);
        }
        assertThat(requests.stored(endpoint, "stopped-body")).isZero();
        assertThat(requests.rejected(endpoint, "timeout")).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void aBodyTrickledBelowTheMinimumRateGets408(Endpoint endpoint) throws Exception {
        // a byte every 300 ms never lets the idle timeout fire; after it, 1000 bytes/s are due
        byte[] body = requests.body(endpoint, "trickled-body", 3);
        try (RawHttpConnection slow = RawHttpConnection.open(server.server.port())) {
            slow.send(requests.head(endpoint, body.length));
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    slow.sendSlowly(body, Duration.ofMillis(300), WAIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertNormalSenderIsServed(endpoint);
            String answer = slow.awaitClosedByServer(WAIT);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertTimeoutInShape(endpoint, answer);
            assertThat(slow.age()).isGreaterThanOrEqualTo(IDLE);
            sender.join(WAIT.toMillis());
        }
        assertThat(requests.stored(endpoint, "trickled-body")).isZero();
        assertThat(requests.rejected(endpoint, "timeout")).isEqualTo(1);
    }

    private void assertNormalSenderIsServed(Endpoint endpoint) throws Exception {
        HttpResponse<String> normal = requests.send(endpoint, requests.body(endpoint, "normal", 5));
        assertThat(normal.statusCode()).as(normal.body()).isEqualTo(IngestionRequests.success(endpoint));
        assertThat(requests.stored(endpoint, "normal")).isEqualTo(5);
    }

    private static void assertTimeoutInShape(Endpoint endpoint, String answer) {
        switch (endpoint) {
            case DATA_COLLECTOR ->
                assertThat(answer).contains("\"Error\":\"RequestTimeout\"", "nothing of it was stored");
            case TRACK -> assertThat(answer).contains("\"itemsAccepted\":0", "\"statusCode\":408");
            case LOGS_INGESTION -> assertThat(answer).contains("\"code\":\"RequestTimeout\"");
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
