package io.vigil.app.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.RawHttpConnection;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRequests.Endpoint;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The in-flight body budget (1 MiB here) shared by every ingestion request: while one sender's 700 KB
 * body is arriving, another's 400 KB body gets 503 with Retry-After in its endpoint's shape instead of
 * being buffered; once the first is done the retry is taken, and each acknowledged request is stored once.
 */
@Timeout(120)
class IngestionBodyBudgetTest {
    private static final long BUDGET = 1024 * 1024;

    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private IngestionRequests requests;

    @BeforeEach
    void start() throws Exception {
        server = new IngestionTestServer(
                dataDir, HttpLimits.builder().maxInFlightBodyBytes(BUDGET).build());
        requests = new IngestionRequests(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void aBodyTheBudgetCannotTakeNowGets503AndIsTakenOnRetry(Endpoint endpoint) throws Exception {
        byte[] held = requests.body(endpoint, "held", 7, 100_000);
        byte[] second = requests.body(endpoint, "second", 4, 100_000);
        assertThat(held.length + second.length).isGreaterThan((int) BUDGET);
        try (RawHttpConnection first = RawHttpConnection.open(server.server.port())) {
            first.send(requests.head(endpoint, held.length));
            first.send(Arrays.copyOf(held, held.length / 2));
            // the first request has reserved its whole Content-Length once its headers are read
            awaitReserved(held.length);

            HttpResponse<String> refused = requests.send(endpoint, second);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertOverloadedInShape(endpoint, refused.body());
            assertThat(requests.rejected(endpoint, "overloaded")).isEqualTo(1);

            first.send(Arrays.copyOfRange(held, held.length / 2, held.length));
            String answer = first.awaitResponse(Duration.ofSeconds(30));
            assertThat(answer).startsWith("HTTP/1.1 " + IngestionRequests.success(endpoint) + " ");
        }
        // the answer can reach the client a moment before the request gives its reservation back
        awaitBudgetFree();
        HttpResponse<String> retried = requests.send(endpoint, second);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(IngestionRequests.success(endpoint));
        assertThat(requests.stored(endpoint, "held")).isEqualTo(7);
        assertThat(requests.storedDistinct(endpoint, "held")).isEqualTo(7);
        assertThat(requests.stored(endpoint, "second")).isEqualTo(4);
        assertThat(requests.storedDistinct(endpoint, "second")).isEqualTo(4);
        awaitBudgetFree();
    }

    @Test
    void aChunkedBodyIsCountedAsItArrives() throws Exception {
        byte[] held = requests.body(Endpoint.TRACK, "held", 7, 100_000);
        byte[] chunked = requests.body(Endpoint.TRACK, "chunked", 4, 100_000);
        try (RawHttpConnection first = RawHttpConnection.open(server.server.port())) {
            first.send(requests.head(Endpoint.TRACK, held.length));
            awaitReserved(held.length);
            HttpResponse<String> refused = requests.send(
                    Endpoint.TRACK,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(chunked)),
                    requests.headers(Endpoint.TRACK, chunked.length));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            first.send(held);
            assertThat(first.awaitResponse(Duration.ofSeconds(30))).startsWith("HTTP/1.1 200 ");
        }
        assertThat(requests.stored(Endpoint.TRACK, "chunked")).isZero();
        awaitBudgetFree();
    }

    @Test
    void aBodyLargerThanTheWholeBudgetGets413() throws Exception {
        byte[] body = requests.body(Endpoint.DATA_COLLECTOR, "huge", 12, 100_000);
        HttpResponse<String> refused = requests.send(Endpoint.DATA_COLLECTOR, body);
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("\"Error\":\"RequestEntityTooLarge\"", "(" + BUDGET + " bytes)");
        assertThat(requests.rejected(Endpoint.DATA_COLLECTOR, "oversize")).isEqualTo(1);
        assertThat(requests.send(Endpoint.DATA_COLLECTOR, requests.body(Endpoint.DATA_COLLECTOR, "ok", 1))
                        .statusCode())
                .isEqualTo(200);
    }

    private void awaitReserved(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (budgetInUse() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the first body was not reserved: " + budgetInUse());
            }
            Thread.sleep(10);
        }
    }

    private void awaitBudgetFree() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (budgetInUse() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("reservations were not given back: " + budgetInUse());
            }
            Thread.sleep(10);
        }
    }

    private long budgetInUse() {
        return server.runtime.metrics().value("http_body_bytes_in_flight");
    }

    private static void assertOverloadedInShape(Endpoint endpoint, String body) {
        switch (endpoint) {
            case DATA_COLLECTOR -> assertThat(body).contains("\"Error\":\"ServiceUnavailable\"", "retry later");
            case TRACK -> assertThat(body).contains("\"itemsAccepted\":0", "\"statusCode\":503");
            case LOGS_INGESTION -> assertThat(body).contains("\"code\":\"ServiceUnavailable\"", "retry later");
        }
    }
}
