package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.ingest.kafka.KafkaInputConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FeedOptionsTest {
    @TempDir
    Path temp;

    @Test
    void feedsAreOffUnlessFlagsAreGiven() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs();
        assertThat(server.server.feeds.options()).isEqualTo(FeedOptions.NONE);
    }

    @Test
    void kafkaFlagsBecomeAConsumerConfig() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo)
                .parseArgs(
                        "--kafka-bootstrap", "127.0.0.1:9092",
                        "--kafka-topic", "insights-activity-logs",
                        "--kafka-topic", "insights-logs-signinlogs",
                        "--kafka-group", "vigil-dev",
                        "--kafka-property", "session.timeout.ms=15000");
        KafkaInputConfig kafka = demo.server.feeds.options().kafka().orElseThrow();
        assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(kafka.topics()).containsExactly("insights-activity-logs", "insights-logs-signinlogs");
        assertThat(kafka.groupId()).isEqualTo("vigil-dev");
        assertThat(kafka.clientProperties()).containsEntry("session.timeout.ms", "15000");
    }

    @Test
    void incompleteKafkaFlagsAreConfigurationErrors() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--kafka-topic", "t");
        assertThatThrownBy(() -> server.server.feeds.options()).hasMessageContaining("--kafka-bootstrap");
        ServerCommand noTopic = new ServerCommand();
        new CommandLine(noTopic).parseArgs("--kafka-bootstrap", "127.0.0.1:9092");
        assertThatThrownBy(() -> noTopic.server.feeds.options()).hasMessageContaining("--kafka-topic");
        ServerCommand noEnv = new ServerCommand();
        new CommandLine(noEnv).parseArgs("--event-hubs-connection-string-env", "VIGIL_TEST_UNSET_VARIABLE");
        assertThatThrownBy(() -> noEnv.server.feeds.options()).hasMessageContaining("VIGIL_TEST_UNSET_VARIABLE");
    }

    @Test
    void watchedFolderFeedsTheServersStore() throws Exception {
        Path drop = Files.createDirectories(temp.resolve("drop"));
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs("--watch", drop.toString());
        FeedOptions options = server.server.feeds.options();
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"));
                FeedOptions.Feeds feeds = options.start(runtime)) {
            assertThat(feeds.descriptions()).singleElement().asString().startsWith("watching [" + drop);
            Files.writeString(
                    drop.resolve("heartbeat.json"),
                    "{\"TimeGenerated\":\"2026-11-25T10:00:00Z\",\"Type\":\"Heartbeat\",\"Computer\":\"a\"}\n",
                    UTF_8);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (runtime.store().rowCounts().getOrDefault("Heartbeat", 0L) == 0) {
                assertThat(System.nanoTime())
                        .as("waiting for the watched file's row")
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        assertThatThrownBy(() -> {
                    try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data2"))) {
                        new FeedOptions(Optional.empty(), List.of(temp.resolve("missing"))).start(runtime);
                    }
                })
                .hasMessageContaining("no such folder");
    }
}
