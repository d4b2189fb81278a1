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
        List<Source> sources = new ArrayList<>();
        try {
            if (kafka.isPresent()) {
                KafkaInputConfig config = kafka.get();
                started.add(KafkaInput.start(config, runtime.pipeline(), runtime.clock(), runtime.metrics()));
                descriptions.add("kafka consuming " + String.join(",", config.topics()) + " from "
                        + config.bootstrapServers() + " (group " + config.groupId() + ")");
                for (String topic : config.topics()) {
                    sources.add(new Source(
                            KafkaInput.INPUT,
                            topic,
                            "Kafka topic from " + config.bootstrapServers() + " (group " + config.groupId() + ")"));
                }
            }
            if (!watch.isEmpty()) {
                FolderWatcher watcher = new FolderWatcher(
                        watch, FolderWatcher.DEFAULT_INTERVAL, runtime.pipeline(), runtime.clock(), runtime.metrics());
                started.add(watcher.start());
                descriptions.add("watching " + watch + " every " + FolderWatcher.DEFAULT_INTERVAL.toSeconds() + " s");
                for (Path folder : watch) {
                    sources.add(new Source(FolderWatcher.INPUT, folder.toString(), "watched folder"));
                }
            }
        } catch (RuntimeException e) {
            new Feeds(started, descriptions, sources).close();
            throw e;
        }
        return new Feeds(started, descriptions, sources);
    }

    /** A feed's entry in the per-source health view: its metric labels and what it is. */
    record Source(String input, String source, String description) {
        Source {
            requireNonNull(input, "input is null");
            requireNonNull(source, "source is null");
            requireNonNull(description, "description is null");
        }
    }

    /** Running feeds, closed in reverse order of starting; each finishes and commits what it read. */
    record Feeds(List<AutoCloseable> running, List<String> descriptions, List<Source> sources)
            implements AutoCloseable {
        Feeds {
            running = List.copyOf(running);
            descriptions = List.copyOf(descriptions);
            sources = List.copyOf(sources);
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
