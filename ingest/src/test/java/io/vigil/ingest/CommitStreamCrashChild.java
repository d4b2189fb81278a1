package io.vigil.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.formats.LogFormats;
import io.vigil.ingest.syslog.SyslogListenerConfig;
import io.vigil.ingest.syslog.SyslogListeners;
import io.vigil.ingest.syslog.SyslogTransport;
import io.vigil.metrics.Metrics;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitStream.SubscriptionStart;
import io.vigil.spi.CommitSubscription;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The process {@link CommitStreamCrashTest} drives. {@code ingest}: a subscriber prints {@code SEEN
 * <table> <batch> <rowCount> <rowsRead>} for each batch it is handed while three inputs write at once (a
 * syslog TCP connection, file imports, and the pipeline as the HTTP endpoints call it) until the process is
 * killed. {@code resume}: the same subscriber resumes, prints what it is handed until it caught up, then
 * {@code CAUGHT_UP}, and exits.
 */
public final class CommitStreamCrashChild {
    static final String SUBSCRIBER = "crash-test";

    private CommitStreamCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[1]);
        PrintStream out = new PrintStream(System.out, false, UTF_8);
        Clock clock = Clock.systemUTC();
        Metrics metrics = new Metrics();
        try (DuckDbStore store = DuckDbStore.open(dataDir.resolve("store"), StoreOptions.DEFAULT, clock, metrics)) {
            CommitSubscription subscription = store.subscribe(SUBSCRIBER, SubscriptionStart.EARLIEST, batch -> {
                report(out, batch, store.rows(batch).size());
            });
            if (args[0].equals("resume")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!subscription.caughtUp() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                subscription.close();
                out.println("CAUGHT_UP " + subscription.caughtUp());
                out.flush();
                return;
            }
            IngestPipeline pipeline = new IngestPipeline(store, LogFormats.builtIn(), clock, metrics);
            SyslogListeners listeners = SyslogListeners.start(
                    List.of(SyslogListenerConfig.of(SyslogTransport.TCP, "127.0.0.1", 0)), pipeline, metrics);
            int port = listeners.listeners().getFirst().port();
            Thread syslog = Thread.ofPlatform().start(() -> sendSyslog(port));
            Thread files = Thread.ofPlatform().start(() -> importFiles(pipeline, dataDir.resolve("files")));
            Thread http = Thread.ofPlatform().start(() -> ingestLikeHttp(pipeline));
            // runs until the test kills it
            syslog.join();
            files.join();
            http.join();
        }
    }

    private static synchronized void report(PrintStream out, BatchCommitted batch, int rowsRead) {
        out.println("SEEN " + batch.table() + " " + batch.batchId() + " " + batch.rowCount() + " " + rowsRead);
        out.flush();
    }

    private static void sendSyslog(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = socket.getOutputStream();
            for (long i = 0; ; i++) {
                out.write(("<13>1 " + Instant.now() + " vm-" + (i % 7) + " app - M1 - message " + i + "\n")
                        .getBytes(UTF_8));
                if (i % 50 == 0) {
                    out.flush();
                    Thread.sleep(2);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void importFiles(IngestPipeline pipeline, Path folder) {
        try {
            Files.createDirectories(folder);
            FileImporter importer = new FileImporter(pipeline, Optional.empty(), Optional.empty());
            for (long i = 0; ; i++) {
                Path file = folder.resolve("events-" + i + ".json");
                StringBuilder rows = new StringBuilder();
                for (int row = 0; row < 1 + i % 40; row++) {
                    rows.append("{\"TimeGenerated\":\"")
                            .append(Instant.now())
                            .append("\",\"Type\":\"Event\",\"Computer\":\"file-")
                            .append(i)
                            .append('-')
                            .append(row)
                            .append("\"}\n");
                }
                Files.writeString(file, rows, UTF_8);
                importer.importPaths(List.of(file));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ingestLikeHttp(IngestPipeline pipeline) {
        try {
            for (long i = 0; ; i++) {
                String body = "{\"TimeGenerated\":\"" + Instant.now() + "\",\"Type\":\"Heartbeat\",\"Computer\":\"http-"
                        + i + "\"}\n";
                pipeline.ingest("http", "test", body.getBytes(UTF_8), Optional.empty());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
