package io.vigil.app.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.app.http.ApiKeys;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRequests.Endpoint;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The per-source token bucket, at 0.2 requests/s with a burst of 2 so nothing refills during a test:
 * the third request of a source gets 429 with Retry-After in its endpoint's shape, is counted, and stores
 * nothing; another API key is another source.
 */
@Timeout(120)
class IngestionRateLimitTest {
    private static final String SECOND_KEY = "vgl_second-sender-key";
    private static final String READER_KEY = "vgl_reader-key";

    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private IngestionRequests requests;

    @BeforeEach
    void start() throws Exception {
        VigilRuntime runtime = VigilRuntime.open(dataDir);
        ApiKeys.load(runtime.workspace());
        IngestionRequests.addApiKey(runtime.workspace(), "second-sender", "contributor", SECOND_KEY);
        IngestionRequests.addApiKey(runtime.workspace(), "auditor", "reader", READER_KEY);
        server = new IngestionTestServer(
                runtime,
                HttpLimits.builder().rateLimit(new HttpLimits.RateLimit(0.2, 2)).build());
        requests = new IngestionRequests(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void theRequestAfterTheBurstGets429WithRetryAfter(Endpoint endpoint) throws Exception {
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> taken = requests.send(endpoint, requests.body(endpoint, "taken-" + i, 3));
            assertThat(taken.statusCode()).as(taken.body()).isEqualTo(IngestionRequests.success(endpoint));
        }
        HttpResponse<String> limited = requests.send(endpoint, requests.body(endpoint, "limited", 3));
        assertThat(limited.statusCode()).isEqualTo(429);
        // one token refills in 5 s at 0.2 requests/s
        assertThat(limited.headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Integer.parseInt(seconds)).isBetween(4, 5));
        switch (endpoint) {
            case DATA_COLLECTOR ->
                assertThat(limited.body()).contains("\"Error\":\"TooManyRequests\"", "rate limit", "retry after");
            case TRACK -> assertThat(limited.body()).contains("\"itemsAccepted\":0", "\"statusCode\":429");
            case LOGS_INGESTION ->
                assertThat(limited.body()).contains("\"error\":{\"code\":\"TooManyRequests\"", "'admin'");
        }
        assertThat(requests.stored(endpoint, "limited")).isZero();
        assertThat(requests.stored(endpoint, "taken-1")).isEqualTo(3);
        assertThat(requests.rejected(endpoint, "rate_limited")).isEqualTo(1);
        assertThat(server.runtime
                        .metrics()
                        .value("http_requests_total", "route", IngestionRequests.input(endpoint), "status", "429"))
                .isEqualTo(1);
    }

    @Test
    void eachApiKeyIsASourceOfItsOwn() throws Exception {
        Endpoint endpoint = Endpoint.LOGS_INGESTION;
        for (int i = 0; i < 2; i++) {
            assertThat(requests.send(endpoint, requests.body(endpoint, "admin-" + i, 1))
                            .statusCode())
                    .isEqualTo(204);
        }
        assertThat(requests.send(endpoint, requests.body(endpoint, "admin-2", 1))
                        .statusCode())
                .isEqualTo(429);
        byte[] body = requests.body(endpoint, "second", 1);
        HttpResponse<String> second = requests.send(
                endpoint,
                HttpRequest.BodyPublishers.ofByteArray(body),
                List.of("Content-Type", "application/json", "Authorization", "Bearer " + SECOND_KEY));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(204);
        assertThat(requests.stored(endpoint, "second")).isEqualTo(1);

        // refused requests take no token of their own principal: a reader key is refused before the limit
        HttpResponse<String> reader = requests.send(
                endpoint,
                HttpRequest.BodyPublishers.ofByteArray(body),
                List.of("Content-Type", "application/json", "Authorization", "Bearer " + READER_KEY));
        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(requests.rejected(endpoint, "forbidden")).isEqualTo(1);
    }
}
