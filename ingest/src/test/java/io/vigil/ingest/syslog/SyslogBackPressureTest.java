package io.vigil.ingest.syslog;

import static io.vigil.ingest.syslog.SyslogTestPeers.await;
import static io.vigil.ingest.syslog.SyslogTestPeers.count;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.ingest.IngestStream;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.store.StoreWriterGate;
import io.vigil.store.WriterConfig;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A TCP sender outpaces a held store: the listener stops reading instead of buffering, and loses nothing. */
@Timeout(180)
class SyslogBackPressureTest {
    private static final int MESSAGES = 200_000;
    private static final int STORE_QUEUE_ROWS = 2_000;
    // 20 MB in all: far more than the loopback socket buffers can hide
    private static final String PADDING = "p".repeat(50);

    @TempDir
    Path temp;

    @Test
    void aFullStoreQueueStopsReadingAndNothingIsLost() throws Exception {
        Metrics metrics = new Metrics();
        StoreOptions options = StoreOptions.builder()
                .writer(new WriterConfig(1_000, Duration.ofMillis(5), STORE_QUEUE_ROWS, Duration.ofSeconds(120)))
                .retention(StoreOptions.DEFAULT.retention())
                .build();
        try (DuckDbStore store = DuckDbStore.open(temp.resolve("data"), options, Clock.systemUTC(), metrics)) {
            StoreWriterGate gate = StoreWriterGate.hold(store);
            SyslogListener listener = SyslogListener.start(
                    SyslogListenerConfig.of(SyslogTransport.TCP, "127.0.0.1", 0),
                    SyslogTestPeers.pipeline(store, metrics),
                    metrics);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int i = 0; i < MESSAGES; i++) {
                bytes.writeBytes(
                        ("<13>Nov 25 10:00:00 host app: message number " + i + " " + PADDING + "\n").getBytes(UTF_8));
            }
            byte[] stream = bytes.toByteArray();
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try (Socket socket = new Socket("127.0.0.1", listener.port());
                        OutputStream out = socket.getOutputStream()) {
                    out.write(stream);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // reading stops once the store queue, the batcher's few batches and the framer are full
            long read = awaitSteady(metrics);
            int readAheadBound = STORE_QUEUE_ROWS
                    + (IngestStream.MAX_READY_BATCHES + 3) * SyslogListenerConfig.DEFAULT_MAX_BATCH_MESSAGES;
            long messageBytes = stream.length / MESSAGES;
            assertThat(read)
                    .as("bytes read while the store is held")
                    .isLessThan(readAheadBound * messageBytes + 2L * SyslogListenerConfig.DEFAULT_MAX_MESSAGE_BYTES);
            assertThat(sent).as("the sender is held back by TCP flow control").isNotDone();
            assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164"))
                    .isZero();

            gate.release();
            sent.get(120, TimeUnit.SECONDS);
            await(
                    "every message committed",
                    Duration.ofSeconds(120),
                    () -> metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164")
                            == MESSAGES);
            listener.close();
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(MESSAGES);
            assertThat(count(store, "SELECT count(DISTINCT SyslogMessage) FROM Syslog"))
                    .isEqualTo(MESSAGES);
        }
    }

    /** The bytes read once the count has not moved for half a second. */
    private static long awaitSteady(Metrics metrics) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 100; i++) {
            Thread.sleep(500);
            long now = metrics.value("bytes_received_total", "input", "syslog_tcp");
            if (now == last && now > 0) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("reading never stopped");
    }
}
