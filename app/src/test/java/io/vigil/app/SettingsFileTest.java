package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.cli.CliRun;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SettingsFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void theFilesSettingsBecomeFlagsAndFlagsOnTheCommandLineWin() throws Exception {
        Path file = write("vigil.yaml", """
                port: 9443
                syslog-udp-port: 5514
                syslog-tcp-port: 5515
                kafka-bootstrap: 127.0.0.1:9092
                kafka-topic: [insights-activity-logs, insights-logs-signinlogs]
                query-max-rows: 1000
                """);
        ServerCommand fromFile = parse("server", "--config", file.toString());
        assertThat(fromFile.port).isEqualTo(9443);
        assertThat(fromFile.syslog.options()).isEqualTo(new SyslogOptions(5514, 5515, 0, Optional.empty()));
        assertThat(fromFile.feeds.kafkaTopics).containsExactly("insights-activity-logs", "insights-logs-signinlogs");
        assertThat(fromFile.queries.limits().maxRows()).isEqualTo(1000);

        ServerCommand overridden = parse(
                "server",
                "--config",
                file.toString(),
                "--syslog-tcp-port",
                "0",
                "--kafka-topic",
                "insights-logs-auditlogs");
        assertThat(overridden.syslog.options()).isEqualTo(new SyslogOptions(5514, 0, 0, Optional.empty()));
        // a repeatable flag replaces the file's whole list rather than adding to it
        assertThat(overridden.feeds.kafkaTopics).containsExactly("insights-logs-auditlogs");
        assertThat(overridden.port).isEqualTo(9443);
    }

    /** The example in docs/operations.md is a valid settings file of {@code vigil server}. */
    @Test
    void theReadmeExampleIsValid() throws Exception {
        String example = ReadmeScripts.example("settings-file");
        ServerCommand server =
                parse("server", "--config", write("readme.yaml", example).toString());
        assertThat(server.bind).isEqualTo("0.0.0.0");
        assertThat(server.syslog.tlsPort).isEqualTo(6514);
        assertThat(server.feeds.watch).containsExactly(Path.of("/mnt/insights-activity-logs"));
    }

    @Test
    void theWorkspacesOwnSettingsFileIsReadWithoutConfig() throws Exception {
        Path data = Files.createDirectories(temp.resolve("ws"));
        Files.writeString(data.resolve(SettingsFile.DEFAULT_NAME), "syslog-tcp-port: 6601\n", UTF_8);
        assertThat(parse("server", "--data", data.toString()).syslog.options().tcpPort())
                .isEqualTo(6601);
        assertThat(parse("server", "--data", temp.resolve("elsewhere").toString())
                        .syslog
                        .options()
                        .tcpPort())
                .isZero();
    }

    @Test
    void switchesTakeTrueOrFalse() throws Exception {
        Path on = write("on.yaml", "load-only: true\n");
        assertThat(parseDemo("--config", on.toString()).loadOnly).isTrue();
        Path off = write("off.yaml", "load-only: false\n");
        assertThat(parseDemo("--config", off.toString()).loadOnly).isFalse();
        Path wrong = write("wrong.yaml", "load-only: sometimes\n");
        assertInvalid(() -> SettingsFile.apply(new String[] {"demo", "--config", wrong.toString()}), "is a switch");
    }

    @Test
    void mistakesAreRefusedNamingTheKey() throws Exception {
        assertInvalid(
                () -> apply(write("typo.yaml", "syslog-tcp-prot: 5514\n")),
                "'syslog-tcp-prot' is not a setting of vigil server");
        assertInvalid(() -> apply(write("dashes.yaml", "--port: 1\n")), "is not a setting");
        assertInvalid(() -> apply(write("config.yaml", "config: other.yaml\n")), "'config' is not a setting");
        assertInvalid(() -> apply(write("list.yaml", "port: [1, 2]\n")), "'port' takes one value, not a list");
        assertInvalid(() -> apply(write("nested.yaml", "syslog:\n  tcp-port: 5514\n")), "is not a setting");
        assertInvalid(() -> apply(write("map.yaml", "watch:\n  a: b\n")), "not a mapping");
        assertInvalid(() -> apply(write("empty.yaml", "port:\n")), "'port' has no value");
        assertInvalid(() -> apply(write("scalar.yaml", "just text\n")), "must be a YAML mapping");
        assertInvalid(() -> apply(write("broken.yaml", "port: [1\n")), "is not valid YAML");
        assertInvalid(
                () -> SettingsFile.apply(new String[] {
                    "server", "--config", temp.resolve("missing.yaml").toString()
                }),
                "does not exist");
        assertThat(write("blank.yaml", "# nothing set yet\n")).exists();
        assertThat(SettingsFile.apply(new String[] {
                    "server", "--config", temp.resolve("blank.yaml").toString()
                }))
                .containsExactly(
                        "server", "--config", temp.resolve("blank.yaml").toString());
    }

    @Test
    void theCliReportsABadSettingsFileAndExits2() throws Exception {
        Path file = write("typo.yaml", "syslog-tcp-prot: 5514\n");
        CliRun run = CliRun.run("server", "--data", temp.resolve("ws").toString(), "--config", file.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("'syslog-tcp-prot' is not a setting").contains("INVALID_CONFIGURATION");
        assertThat(temp.resolve("ws")).doesNotExist();
    }

    @Test
    void commandsWithoutConfigAreLeftAlone() throws Exception {
        Path data = Files.createDirectories(temp.resolve("ws"));
        Files.writeString(data.resolve(SettingsFile.DEFAULT_NAME), "syslog-tcp-prot: 1\n", UTF_8);
        String[] args = {"tables", "--data", data.toString()};
        assertThat(SettingsFile.apply(args)).isSameAs(args);
        String[] unparsable = {"server", "--no-such-flag"};
        assertThat(SettingsFile.apply(unparsable)).isSameAs(unparsable);
    }

    /** The listener a settings file asks for is really started by {@code vigil server} and stores what it gets. */
    @Test
    @Timeout(60)
    void aSyslogListenerFromTheSettingsFileReceivesMessages() throws Exception {
        int tcpPort = freePort();
        Path file = write("vigil.yaml", "port: 0\nsyslog-tcp-port: " + tcpPort + "\n");
        ServerCommand server = parse("server", "--config", file.toString());
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("ws"));
                ServerCommand.Running running = server.start(runtime)) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcpPort);
                    OutputStream out = socket.getOutputStream()) {
                out.write("<13>Dec  2 10:00:00 web01 app: configured by file\n".getBytes(UTF_8));
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            JsonNode rows = rows(running, runtime);
            while (rows.size() < 1 && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                rows = rows(running, runtime);
            }
            assertThat(rows.toString()).isEqualTo("[[\"web01\",\"configured by file\"]]");
        }
    }

    private static JsonNode rows(ServerCommand.Running running, VigilRuntime runtime) throws Exception {
        String body = ApiQueries.post(running, runtime, "Syslog | project Computer, SyslogMessage")
                .body();
        return JSON.readTree(body).path("tables").path(0).path("rows");
    }

    private String[] apply(Path file) {
        return SettingsFile.apply(new String[] {"server", "--config", file.toString()});
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOf(VigilException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((VigilException) e).errorCode())
                .isEqualTo(StandardErrorCode.INVALID_CONFIGURATION);
    }

    private static ServerCommand parse(String... args) {
        return (ServerCommand) leaf(args).commandSpec().userObject();
    }

    private static DemoCommand parseDemo(String... flags) {
        String[] args = new String[flags.length + 1];
        args[0] = "demo";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return (DemoCommand) leaf(args).commandSpec().userObject();
    }

    private static CommandLine.ParseResult leaf(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new VigilMain()).parseArgs(SettingsFile.apply(args));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return parsed;
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(temp.resolve(name), text, UTF_8);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
