package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.vigil.app.cli.CliRun;
import io.vigil.forward.WebhookSignature;
import io.vigil.spi.Row;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil sinks add} with the HTTP sinks: bad ones refused when added, a webhook posting signed alerts. */
@Timeout(120)
class HttpSinksCommandTest {
    @TempDir
    Path temp;

    private CliRun add(String data, String... options) {
        List<String> arguments = new java.util.ArrayList<>(List.of("sinks", "add", "--data", data, "--name", "siem"));
        arguments.addAll(List.of(options));
        return CliRun.run(arguments.toArray(String[]::new));
    }

    @Test
    void badHttpSinksAreRefusedWhenAdded() throws Exception {
        String data = temp.resolve("ws").toString();
        Path token = Files.writeString(temp.resolve("token"), "t0k3n\n");

        CliRun notUrl = add(data, "--type", "splunk_hec", "--endpoint", "splunk:8088", "--route", "alerts");
        assertThat(notUrl.exit()).isNotZero();
        assertThat(notUrl.err()).contains("http:// or https:// URL");

        CliRun noSecret =
                add(data, "--type", "splunk_hec", "--endpoint", "https://splunk.example:8088", "--route", "alerts");
        assertThat(noSecret.exit()).isNotZero();
        assertThat(noSecret.err()).contains("needs --secret-file");

        CliRun missingFile = add(
                data,
                "--type",
                "webhook",
                "--endpoint",
                "https://hooks.example/vigil",
                "--secret-file",
                temp.resolve("nowhere").toString(),
                "--route",
                "alerts");
        assertThat(missingFile.exit()).isNotZero();
        assertThat(missingFile.err()).contains("cannot be read");

        CliRun passwordInUrl = add(
                data,
                "--type",
                "opensearch",
                "--endpoint",
                "https://admin:pw@search.example:9200",
                "--route",
                "alerts");
        assertThat(passwordInUrl.exit()).isNotZero();
        assertThat(passwordInUrl.err()).contains("--secret-file");

        CliRun alertSchemaForTables = add(
                data,
                "--type",
                "webhook",
                "--endpoint",
                "https://hooks.example/vigil",
                "--secret-file",
                token.toString(),
                "--payload",
                "azure_common_alert",
                "--route",
                "table:Syslog");
        assertThat(alertSchemaForTables.exit()).isNotZero();
        assertThat(alertSchemaForTables.err()).contains("only route is alerts");

        CliRun secretForSyslog = add(
                data,
                "--type",
                "syslog_cef",
                "--endpoint",
                "siem:514",
                "--secret-file",
                token.toString(),
                "--route",
                "alerts");
        assertThat(secretForSyslog.exit()).isNotZero();
        assertThat(secretForSyslog.err()).contains("for the HTTP sinks");

        // one --secret-file serves the HTTP sinks and eventhubs_kafka; --ca-file and --topic stay with their sinks
        CliRun caFileForKafka = add(
                data,
                "--type",
                "eventhubs_kafka",
                "--endpoint",
                "ns.example:9093",
                "--transport",
                "tls",
                "--secret-file",
                token.toString(),
                "--ca-file",
                token.toString(),
                "--route",
                "alerts");
        assertThat(caFileForKafka.exit()).isNotZero();
        assertThat(caFileForKafka.err()).contains("--ca-file is for the HTTP sinks, not eventhubs_kafka");
        CliRun topicForWebhook = add(
                data,
                "--type",
                "webhook",
                "--endpoint",
                "https://soar.example/hook",
                "--secret-file",
                token.toString(),
                "--topic",
                "vigil",
                "--route",
                "alerts");
        assertThat(topicForWebhook.exit()).isNotZero();
        assertThat(topicForWebhook.err()).contains("--topic is for eventhubs_kafka sinks, not webhook");
        CliRun missingKafkaSecret = add(
                data,
                "--type",
                "eventhubs_kafka",
                "--endpoint",
                "ns.example:9093",
                "--secret-file",
                temp.resolve("none.secret").toString(),
                "--route",
                "alerts");
        assertThat(missingKafkaSecret.exit()).isNotZero();
        assertThat(missingKafkaSecret.err()).contains("is not readable");
        CliRun kafka = add(
                data,
                "--type",
                "eventhubs_kafka",
                "--endpoint",
                "ns.example:9093",
                "--transport",
                "tls",
                "--secret-file",
                token.toString(),
                "--topic",
                "vigil-export",
                "--route",
                "alerts");
        assertThat(kafka.exit()).as(kafka.err()).isZero();
        assertThat(CliRun.run("sinks", "list", "--data", data).out())
                .contains("eventhubs_kafka")
                .contains("kafka+tls://ns.example:9093/vigil-export");
        assertThat(CliRun.run("sinks", "remove", "--data", data, "siem").exit()).isZero();

        CliRun good = add(
                data,
                "--type",
                "elasticsearch",
                "--endpoint",
                "https://search.example:9200",
                "--secret-file",
                token.toString(),
                "--route",
                "table:SigninLogs");
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(CliRun.run("sinks", "list", "--data", data).out())
                .contains("elasticsearch")
                .contains("https://search.example:9200");
        assertThat(Files.readString(Path.of(data, "sinks.json"))).doesNotContain("t0k3n");
    }

    @Test
    void anAddedWebhookPostsSignedAlertsInAzuresCommonSchemaWhileTheServerRuns() throws Exception {
        Path data = temp.resolve("ws");
        Path secret = Files.writeString(temp.resolve("hook.key"), "whsec-cli\n");
        WebhookSignature signature = new WebhookSignature("whsec-cli");
        List<String> verified = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/alerts", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String timestamp = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
                String signed = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
                boolean fresh = timestamp != null
                        && Math.abs(Long.parseLong(timestamp) - Instant.now().getEpochSecond()) < 300;
                if (fresh && signed != null && signature.verify(timestamp, body, signed)) {
                    verified.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(401, -1);
                }
            }
        });
        receiver.start();
        try {
            CliRun added = add(
                    data.toString(),
                    "--type",
                    "webhook",
                    "--endpoint",
                    "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts",
                    "--secret-file",
                    secret.toString(),
                    "--payload",
                    "azure_common_alert",
                    "--route",
                    "alerts",
                    "--start",
                    "earliest");
            assertThat(added.exit()).as(added.err()).isZero();
            try (VigilRuntime runtime = VigilRuntime.open(data);
                    ServerCommand.Running running = IncidentFixture.serve(runtime)) {
                Row alert = runtime.store()
                        .catalog()
                        .require("SecurityAlert")
                        .newRow()
                        .set("TimeGenerated", Instant.now())
                        .set("AlertName", "Password spray")
                        .set("AlertSeverity", "High")
                        .build();
                runtime.store().write(List.of(alert)).get(30, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((verified.isEmpty()
                                || runtime.metrics()
                                                .value("forward_events_sent_total", "sink", "siem", "type", "webhook")
                                        < 1)
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(verified)
                        .singleElement()
                        .satisfies(body -> assertThat(body)
                                .startsWith("{\"schemaId\":\"azureMonitorCommonAlertSchema\"")
                                .contains("\"alertRule\":\"Password spray\"")
                                .contains("\"severity\":\"Sev1\""));
                assertThat(runtime.metrics().value("forward_events_sent_total", "sink", "siem", "type", "webhook"))
                        .isEqualTo(1);
            }
        } finally {
            receiver.stop(0);
        }
    }
}
