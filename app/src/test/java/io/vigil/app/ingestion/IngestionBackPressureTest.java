package io.vigil.app.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRequests.Endpoint;
import io.vigil.app.workspace.Workspace;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.store.StoreWriterGate;
import io.vigil.store.WriterConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's back-pressure through each ingestion endpoint: with the table writers held
 * ({@link StoreWriterGate}) and a queue of 20 rows that may stay full for 300 ms, a request whose rows
 * fit waits for its commit, and the next one, whose rows do not, gets 503 with Retry-After in the
 * endpoint's shape. Once the writers are released the first is acknowledged; the refused one, sent
 * again, too; each acknowledged request is stored exactly once and nothing of the refused attempt.
 */
@Timeout(120)
class IngestionBackPressureTest {
    private static final int QUEUE_ROWS = 20;

    @TempDir
    Path dataDir;

    private IngestionTestServer server;
    private IngestionRequests requests;
    private StoreWriterGate gate;
    private DuckDbStore store;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.systemUTC();
        Workspace workspace = Workspace.open(dataDir);
        Metrics metrics = new Metrics();
        StoreOptions options = StoreOptions.builder()
                .writer(new WriterConfig(QUEUE_ROWS, Duration.ofMillis(5), QUEUE_ROWS, Duration.ofMillis(300)))
                .retention(StoreOptions.DEFAULT.retention())
                .tenantId(workspace.workspaceId())
                .build();
        store = DuckDbStore.open(dataDir, options, clock, metrics);
        VigilRuntime runtime = new VigilRuntime(
                workspace, store, metrics, new IngestPipeline(store, LogFormats.builtIn(), clock, metrics), clock);
        server = new IngestionTestServer(runtime, HttpLimits.DEFAULT);
        requests = new IngestionRequests(server);
    }

    @AfterEach
    void stop() throws Exception {
        if (gate != null) {
            gate.release();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void aFullStoreQueueIs503WithRetryAfterAndEveryAcknowledgedRequestIsStoredOnce(Endpoint endpoint) throws Exception {
        // the table exists before the writers are held (creating it is not what is measured)
        assertThat(requests.send(endpoint, requests.body(endpoint, "before", 1)).statusCode())
                .isEqualTo(IngestionRequests.success(endpoint));
        gate = StoreWriterGate.hold(store);

        CompletableFuture<HttpResponse<String>> waiting =
                sendAsync(endpoint, requests.body(endpoint, "waiting", QUEUE_ROWS / 2));
        awaitQueued(QUEUE_ROWS / 2);
        byte[] refusedBody = requests.body(endpoint, "refused", QUEUE_ROWS - 5);
        HttpResponse<String> refused = requests.send(endpoint, refusedBody);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        switch (endpoint) {
            case DATA_COLLECTOR ->
                assertThat(refused.body()).contains("\"Error\":\"ServiceUnavailable\"", "stayed full");
            case TRACK -> assertThat(refused.body()).contains("\"statusCode\":503", "stayed full");
            case LOGS_INGESTION ->
                assertThat(refused.body()).contains("\"code\":\"ServiceUnavailable\"", "stayed full");
        }
        assertThat(waiting).as("the first request waits for its commit").isNotDone();
        assertThat(requests.rejected(endpoint, "overloaded")).isEqualTo(1);

        gate.release();
        HttpResponse<String> acknowledged = waiting.get(60, TimeUnit.SECONDS);
        assertThat(acknowledged.statusCode()).as(acknowledged.body()).isEqualTo(IngestionRequests.success(endpoint));
        HttpResponse<String> retried = requests.send(endpoint, refusedBody);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(IngestionRequests.success(endpoint));

        assertThat(requests.stored(endpoint, "waiting")).isEqualTo(QUEUE_ROWS / 2);
        assertThat(requests.storedDistinct(endpoint, "waiting")).isEqualTo(QUEUE_ROWS / 2);
        assertThat(requests.stored(endpoint, "refused"))
                .as("the retry, once; nothing of the refused attempt")
                .isEqualTo(QUEUE_ROWS - 5);
        assertThat(requests.storedDistinct(endpoint, "refused")).isEqualTo(QUEUE_ROWS - 5);
        assertThat(server.count("SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(Endpoint endpoint, byte[] body) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return requests.send(
                                endpoint,
                                HttpRequest.BodyPublishers.ofByteArray(body),
                                requests.headers(endpoint, body.length));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                runnable -> Thread.ofPlatform().daemon(true).start(runnable));
    }

    private void awaitQueued(long rows) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.runtime.store().queuedRows() < rows) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "rows never queued: " + server.runtime.store().queuedRows());
            }
            Thread.sleep(10);
        }
    }
}
