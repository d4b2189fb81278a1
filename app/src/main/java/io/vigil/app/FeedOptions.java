package io.vigil.app;

import static java.util.Objects.requireNonNull;

import io.vigil.ingest.kafka.KafkaInput;
import io.vigil.ingest.kafka.KafkaInputConfig;
import io.vigil.ingest.watch.FolderWatcher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/** The inputs a server pulls from (as opposed to listens on): a Kafka / Event Hubs consumer, watched folders. */
record FeedOptions(Optional<KafkaInputConfig> kafka, List<Path> watch) {
    private static final Logger LOG = Logger.getLogger(FeedOptions.class.getName());

    static final FeedOptions NONE = new FeedOptions(Optional.empty(), List.of());

    FeedOptions {
        requireNonNull(kafka, "kafka is null");
        watch = List.copyOf(watch);
    }

    /** Starts every feed, or none: if one cannot start, those already started are closed again. */
    Feeds start(VigilRuntime runtime) throws InterruptedException {
        List<AutoCloseable> started = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        try {
            if (kafka.isPresent()) {
                KafkaInputConfig config = kafka.get();
                started.add(KafkaInput.start(config, runtime.pipeline(), runtime.clock(), runtime.metrics()));
                descriptions.add("kafka consuming " + String.join(",", config.topics()) + " from "
                        + config.bootstrapServers() + " (group " + config.groupId() + ")");
            }
            if (!watch.isEmpty()) {
                FolderWatcher watcher = new FolderWatcher(
                        watch, FolderWatcher.DEFAULT_INTERVAL, runtime.pipeline(), runtime.clock(), runtime.metrics());
                started.add(watcher.start());
                descriptions.add("watching " + watch + " every " + FolderWatcher.DEFAULT_INTERVAL.toSeconds() + " s");
            }
        } catch (RuntimeException e) {
            new Feeds(started, descriptions).close();
            throw e;
        }
        return new Feeds(started, descriptions);
    }

    /** Running feeds, closed in reverse order of starting; each finishes and commits what it read. */
    record Feeds(List<AutoCloseable> running, List<String> descriptions) implements AutoCloseable {
        Feeds {
            running = List.copyOf(running);
            descriptions = List.copyOf(descriptions);
        }

        @Override
        public void close() throws InterruptedException {
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    // closing one feed must not keep the others from committing what they read
                    LOG.warning("feed did not close cleanly: " + e);
                }
            }
        }
    }
}
