package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * util-linux {@code logger} against {@code vigil server}'s syslog flags, over UDP, TCP with LF framing and TCP with
 * octet counting (RFC 6587), in RFC 3164 and RFC 5424, and a CEF line; the rows are read through the query API.
 */
@Timeout(120)
class SyslogLoggerEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void loggerMessagesAreQueryableThroughTheServer() throws Exception {
        int udp = freePort();
        int tcp = freePort();
        ServerCommand command = new ServerCommand();
        new CommandLine(command)
                .parseArgs(
                        "--data",
                        temp.resolve("ws").toString(),
                        "--port",
                        "0",
                        "--syslog-udp-port",
                        Integer.toString(udp),
                        "--syslog-tcp-port",
                        Integer.toString(tcp));
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir);
                ServerCommand.Running running = command.start(runtime)) {
            logger(udp, List.of("--udp", "--rfc3164"), "sshd", "auth.warning", "Failed password for root");
            logger(tcp, List.of("--tcp", "--rfc3164"), "cron", "cron.info", "job started");
            logger(tcp, List.of("--tcp", "--octet-count", "--rfc5424=notq"), "app", "local4.err", "disk almost full");
            logger(
                    tcp,
                    List.of("--tcp", "--octet-count", "--rfc3164"),
                    "fw",
                    "local1.notice",
                    "CEF:0|Contoso|Firewall|9.1|100|Blocked|5|src=203.0.113.9 dst=10.0.0.4 dpt=3389 act=blocked");

            JsonNode syslog = awaitRows(
                    running,
                    runtime,
                    "Syslog | project ProcessName, Facility, SeverityLevel, SyslogMessage | order by ProcessName asc",
                    3);
            assertThat(syslog.toString())
                    .isEqualTo("[[\"app\",\"local4\",\"err\",\"disk almost full\"],"
                            + "[\"cron\",\"cron\",\"info\",\"job started\"],"
                            + "[\"sshd\",\"auth\",\"warning\",\"Failed password for root\"]]");
            JsonNode cef = awaitRows(
                    running,
                    runtime,
                    "CommonSecurityLog | project DeviceVendor, DeviceProduct, SourceIP, DestinationPort, DeviceAction",
                    1);
            assertThat(cef.toString()).isEqualTo("[[\"Contoso\",\"Firewall\",\"203.0.113.9\",3389,\"blocked\"]]");
        }
    }

    private static JsonNode awaitRows(ServerCommand.Running running, VigilRuntime runtime, String kql, int rows)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        JsonNode result = query(running, runtime, kql);
        while (result.size() < rows && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            result = query(running, runtime, kql);
        }
        return result;
    }

    private static JsonNode query(ServerCommand.Running running, VigilRuntime runtime, String kql) throws Exception {
        return JSON.readTree(ApiQueries.post(running, runtime, kql).body())
                .path("tables")
                .path(0)
                .path("rows");
    }

    /** One message sent by util-linux logger to 127.0.0.1. */
    private static void logger(int port, List<String> transport, String tag, String priority, String message)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("logger", "--server", "127.0.0.1", "--port", "" + port));
        command.addAll(transport);
        command.addAll(List.of("--tag", tag, "--priority", priority, "--", message));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("logger finished").isTrue();
        assertThat(process.exitValue())
                .as(new String(process.getInputStream().readAllBytes()))
                .isZero();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
