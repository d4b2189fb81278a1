package io.vigil.ingest.syslog;

import static io.vigil.ingest.syslog.SyslogTestPeers.await;
import static io.vigil.ingest.syslog.SyslogTestPeers.count;
import static io.vigil.ingest.syslog.SyslogTestPeers.query;
import static io.vigil.ingest.syslog.SyslogTestPeers.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The listeners with real peers on loopback: util-linux logger, plain Java sockets. */
@Timeout(120)
class SyslogListenerTest {
    private static final String LOOPBACK = "127.0.0.1";

    @TempDir
    Path temp;

    private final Metrics metrics = new Metrics();
    private final List<SyslogListener> listeners = new ArrayList<>();
    private DuckDbStore store;

    @BeforeEach
    void openStore() {
        store = DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, Clock.systemUTC(), metrics);
    }

    @AfterEach
    void closeAll() throws InterruptedException {
        for (SyslogListener listener : listeners) {
            listener.close();
        }
        store.close();
    }

    private SyslogListener start(SyslogListenerConfig config) throws IOException {
        SyslogListener listener = SyslogListener.start(config, SyslogTestPeers.pipeline(store, metrics), metrics);
        listeners.add(listener);
        return listener;
    }

    @Test
    void loggerOverUdpTcpAndOctetCountedTcpInBothSyslogFormats() throws Exception {
        int udp =
                start(SyslogListenerConfig.of(SyslogTransport.UDP, LOOPBACK, 0)).port();
        int tcp =
                start(SyslogListenerConfig.of(SyslogTransport.TCP, LOOPBACK, 0)).port();
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        // RFC 3164 from logger carries the short host name
        String shortHost = host.split("\\.", 2)[0];

        logger(List.of("--udp", "--port", "" + udp, "--rfc5424"), "u5424", "local3.warning", "udp five");
        logger(List.of("--udp", "--port", "" + udp, "--rfc3164"), "u3164", "auth.err", "udp bsd");
        logger(List.of("--tcp", "--port", "" + tcp, "--rfc5424"), "t5424", "local7.info", "tcp five");
        logger(List.of("--tcp", "--port", "" + tcp, "--rfc3164"), "t3164", "daemon.notice", "tcp bsd");
        logger(List.of("--tcp", "--octet-count", "--port", "" + tcp, "--rfc5424"), "o5424", "user.crit", "oct five");
        logger(List.of("--tcp", "--octet-count", "--port", "" + tcp, "--rfc3164"), "o3164", "mail.debug", "oct bsd");

        await("six Syslog rows", () -> count(store, "SELECT count(*) FROM Syslog") == 6);
        List<Map<String, Object>> rows = query(
                store,
                "SELECT ProcessName, Facility, SeverityLevel, HostName, ProcessID, SyslogMessage, HostIP"
                        + " FROM Syslog ORDER BY ProcessName");
        assertThat(rows)
                .extracting(row -> row.get("ProcessName"))
                .containsExactly("o3164", "o5424", "t3164", "t5424", "u3164", "u5424");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("HostIP")).isEqualTo(LOOPBACK);
            assertThat(row.get("ProcessID")).isEqualTo(4242);
        });
        assertRow(rows.get(0), "mail", "debug", shortHost, "oct bsd");
        assertRow(rows.get(2), "daemon", "notice", shortHost, "tcp bsd");
        assertRow(rows.get(4), "auth", "err", shortHost, "udp bsd");
        // RFC 5424: MSGID and structured data are kept in front of MSG, logger adds its timeQuality element
        assertRow(rows.get(1), "user", "crit", host, "MSG47 [timeQuality ");
        assertRow(rows.get(3), "local7", "info", host, "MSG47 [timeQuality ");
        assertRow(rows.get(5), "local3", "warning", host, "MSG47 [timeQuality ");
        assertThat((String) rows.get(5).get("SyslogMessage"))
                .contains("[vigil@32473 case=\"u5424\"]")
                .endsWith("] udp five");

        // the counters move when the batcher hears of the commit, just after the rows become visible
        await(
                "the per-format counters",
                () -> metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc5424") == 2
                        && metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164")
                                == 2
                        && metrics.value("events_received_total", "input", "syslog_udp", "format", "syslog_rfc5424")
                                == 1
                        && metrics.value("events_received_total", "input", "syslog_udp", "format", "syslog_rfc3164")
                                == 1);
        assertThat(metrics.value("events_received_total", "input", "syslog_udp", "format", "syslog_rfc5424"))
                .isEqualTo(1);
        assertThat(metrics.value("events_received_total", "input", "syslog_udp", "format", "syslog_rfc3164"))
                .isEqualTo(1);
        assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc5424"))
                .isEqualTo(2);
        assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164"))
                .isEqualTo(2);
        assertThat(metrics.value("bytes_received_total", "input", "syslog_tcp")).isGreaterThan(100);
        await("connections closed", () -> metrics.value("syslog_connections_active", "input", "syslog_tcp") == 0);
        assertThat(metrics.value("syslog_connections_total", "input", "syslog_tcp"))
                .isEqualTo(4);
        assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    @Test
    void cefAndLeefOverTcpLandInCommonSecurityLog() throws Exception {
        int tcp =
                start(SyslogListenerConfig.of(SyslogTransport.TCP, LOOPBACK, 0)).port();
        // logger puts its RFC 3164 header and tag in front, as a CEF-emitting appliance's syslog does
        logger(
                List.of("--tcp", "--port", "" + tcp, "--rfc3164"),
                "fw",
                "local4.warning",
                "CEF:0|Vigil|Firewall|1.0|100|connection blocked|7|src=10.0.0.1 dst=10.0.0.2 act=block");
        try (Socket socket = new Socket(LOOPBACK, tcp)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("<134>1 2026-11-25T10:00:00Z proxy01 - - - - LEEF:1.0|Vigil|Proxy|2.0|deny|src=10.0.0.3\tusrName=bob\n")
                            .getBytes(UTF_8));
            out.flush();
        }
        await("two CommonSecurityLog rows", () -> count(store, "SELECT count(*) FROM CommonSecurityLog") == 2);
        List<Map<String, Object>> rows = query(
                store,
                "SELECT DeviceVendor, DeviceProduct, SourceIP, DestinationIP, DeviceAction, SourceUserName, Computer"
                        + " FROM CommonSecurityLog ORDER BY DeviceProduct");
        assertThat(rows.get(0))
                .containsEntry("DeviceProduct", "Firewall")
                .containsEntry("SourceIP", "10.0.0.1")
                .containsEntry("DestinationIP", "10.0.0.2")
                .containsEntry("DeviceAction", "block");
        assertThat(rows.get(1))
                .containsEntry("DeviceProduct", "Proxy")
                .containsEntry("SourceUserName", "bob")
                .containsEntry("Computer", "proxy01");
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isZero();
        // the counters move when the batcher hears of the commit, just after the rows become visible
        await(
                "the CEF and LEEF counters",
                () -> metrics.value("events_received_total", "input", "syslog_tcp", "format", "cef") == 1
                        && metrics.value("events_received_total", "input", "syslog_tcp", "format", "leef") == 1);
        assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "cef"))
                .isEqualTo(1);
        assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "leef"))
                .isEqualTo(1);
    }

    @Test
    void badInputIsDeadLetteredOrClosedAndTheListenerKeepsServing() throws Exception {
        SyslogListenerConfig tcpConfig = SyslogListenerConfig.builder(SyslogTransport.TCP, LOOPBACK, 0)
                .maxMessageBytes(1024)
                .maxConnections(8)
                .idleTimeout(Duration.ofMillis(300))
                .build();
        int tcp = start(tcpConfig).port();
        int udp = start(SyslogListenerConfig.builder(SyslogTransport.UDP, LOOPBACK, 0)
                        .maxMessageBytes(1024)
                        .maxConnections(8)
                        .idleTimeout(Duration.ofMinutes(1))
                        .build())
                .port();

        try (Socket socket = new Socket(LOOPBACK, tcp)) {
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(("<13>Nov 25 10:00:00 host big: " + "x".repeat(3000) + "\n").getBytes(UTF_8));
            bytes.writeBytes("<13>Nov 25 10:00:00 host bad: ".getBytes(UTF_8));
            bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
            bytes.writeBytes(new byte[] {1, 2, 3, '#', '#', ' ', '~', '\n'});
            bytes.writeBytes("<13>Nov 25 10:00:00 host good: after the bad ones\n".getBytes(UTF_8));
            out.write(bytes.toByteArray());
            out.flush();
        }
        // announces 100 bytes, sends a few, goes away
        try (Socket socket = new Socket(LOOPBACK, tcp)) {
            socket.getOutputStream().write("100 <13>1 2026-11-25T10:00:00Z host half".getBytes(UTF_8));
        }
        // connects and says nothing: closed by the server after the idle timeout
        try (Socket idle = new Socket(LOOPBACK, tcp)) {
            idle.setSoTimeout(10_000);
            long started = System.nanoTime();
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(200));
        }
        try (DatagramSocket sender = new DatagramSocket()) {
            byte[] big = ("<13>Nov 25 10:00:00 host udpbig: " + "y".repeat(2000)).getBytes(UTF_8);
            sender.send(new DatagramPacket(big, big.length, InetAddress.getByName(LOOPBACK), udp));
        }
        logger(List.of("--tcp", "--port", "" + tcp, "--rfc3164"), "later", "user.info", "still served");

        await("five dead letters", () -> count(store, "SELECT count(*) FROM VigilDeadLetter") == 5);
        await("two good rows", () -> count(store, "SELECT count(*) FROM Syslog") == 2);
        assertThat(query(store, "SELECT Reason, RawSize FROM VigilDeadLetter ORDER BY Reason, RawSize"))
                .extracting(row -> row.get("Reason") + " " + row.get("RawSize"))
                .containsExactly(
                        "invalid_utf8 33", "malformed_line 7", "oversize 1024", "oversize 1024", "truncated 36");
        assertThat(query(store, "SELECT ProcessName FROM Syslog ORDER BY ProcessName"))
                .extracting(row -> row.get("ProcessName"))
                .containsExactly("good", "later");
        assertThat(metrics.value(
                        "events_failed_total", "input", "syslog_tcp", "format", "syslog_rfc3164", "reason", "oversize"))
                .isEqualTo(1);
        assertThat(metrics.value(
                        "events_failed_total",
                        "input",
                        "syslog_tcp",
                        "format",
                        "syslog_rfc5424",
                        "reason",
                        "truncated"))
                .isEqualTo(1);
        assertThat(metrics.value(
                        "events_failed_total", "input", "syslog_udp", "format", "syslog_rfc3164", "reason", "oversize"))
                .isEqualTo(1);
        assertThat(metrics.value("syslog_connections_closed_total", "input", "syslog_tcp", "reason", "idle"))
                .isEqualTo(1);
    }

    @Test
    void messagesDatedBeforeRetentionAreStoredWithTheIngestionTimeAndKeptByRetention() throws Exception {
        int udp =
                start(SyslogListenerConfig.of(SyslogTransport.UDP, LOOPBACK, 0)).port();
        // a year-less RFC 3164 date half a year back is older than the 90-day retention whichever year it is
        // read in (the probe sent "Jan 1", old except in the first three months of a year)
        String halfAYearAgo = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT)
                .format(ZonedDateTime.now(ZoneOffset.UTC).minusDays(180));
        List<String> messages = List.of(
                "<13>1 1990-01-01T00:00:00Z vm-1 app - - - dated 1990",
                "<13>" + halfAYearAgo + " vm-1 app: year-less and old");
        Instant before = Instant.now();
        try (DatagramSocket sender = new DatagramSocket()) {
            for (String message : messages) {
                byte[] bytes = message.getBytes(UTF_8);
                sender.send(new DatagramPacket(bytes, bytes.length, InetAddress.getByName(LOOPBACK), udp));
            }
        }
        await("two Syslog rows", () -> count(store, "SELECT count(*) FROM Syslog") == 2);

        assertThat(count(
                        store,
                        "SELECT count(*) FROM Syslog WHERE TimeGenerated >= make_timestamp("
                                + before.minusSeconds(1).toEpochMilli() * 1000 + ")"))
                .isEqualTo(2);
        assertThat(metrics.value("store_rows_time_repaired_total", "table", "Syslog"))
                .isEqualTo(2);
        assertThat(store.applyRetention().rowsDeletedByTable()).isEmpty();
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(2);
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        int tcp = start(SyslogListenerConfig.builder(SyslogTransport.TCP, LOOPBACK, 0)
                        .maxMessageBytes(1024)
                        .maxConnections(2)
                        .idleTimeout(Duration.ofMinutes(1))
                        .build())
                .port();
        try (Socket first = new Socket(LOOPBACK, tcp);
                Socket second = new Socket(LOOPBACK, tcp)) {
            await("two connections", () -> metrics.value("syslog_connections_active", "input", "syslog_tcp") == 2);
            try (Socket third = new Socket(LOOPBACK, tcp)) {
                third.setSoTimeout(10_000);
                assertThat(third.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(metrics.value("syslog_connections_refused_total", "input", "syslog_tcp"))
                    .isEqualTo(1);
            first.getOutputStream().write("<13>Nov 25 10:00:00 host one: kept\n".getBytes(UTF_8));
        }
        await("the row of an accepted connection", () -> count(store, "SELECT count(*) FROM Syslog") == 1);
        await("connections closed", () -> metrics.value("syslog_connections_active", "input", "syslog_tcp") == 0);
        logger(List.of("--tcp", "--port", "" + tcp), "again", "user.info", "room again");
        await("a row after the others left", () -> count(store, "SELECT count(*) FROM Syslog") == 2);
    }

    /**
     * Listeners that take messages only from a network the test's loopback sender is not in: its datagrams and
     * connections are refused before anything is read and counted for the source health view, while a
     * listener of the same kind that admits loopback stores the same messages.
     */
    @Test
    void sendersOutsideTheAllowedNetworksAreRefused() throws Exception {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): only a filter here, nothing is ever sent to it
        SenderFilter elsewhere = SenderFilter.parse(List.of("192.0.2.0/24", "2001:db8::/32"));
        int udp = start(SyslogListenerConfig.builder(SyslogTransport.UDP, LOOPBACK, 0)
                        .senders(elsewhere)
                        .build())
                .port();
        int tcp = start(SyslogListenerConfig.builder(SyslogTransport.TCP, LOOPBACK, 0)
                        .senders(elsewhere)
                        .build())
                .port();
        logger(List.of("--udp", "--port", "" + udp, "--rfc3164"), "refused", "user.info", "udp from a stranger");
        try (Socket socket = new Socket(LOOPBACK, tcp)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("<13>Dec  2 10:00:00 host app: tcp from a stranger\n".getBytes(UTF_8));
            // the listener closes a refused connection at once: the read sees its end
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        await(
                "both refusals counted",
                () -> metrics.value("requests_rejected_total", "input", "syslog_udp", "reason", "sender_not_allowed")
                                == 1
                        && metrics.value(
                                        "requests_rejected_total",
                                        "input",
                                        "syslog_tcp",
                                        "reason",
                                        "sender_not_allowed")
                                == 1);
        assertThat(metrics.value("bytes_received_total", "input", "syslog_tcp")).isZero();
        assertThat(metrics.value("bytes_received_total", "input", "syslog_udp")).isZero();

        int admitted =
                start(SyslogListenerConfig.of(SyslogTransport.UDP, LOOPBACK, 0)).port();
        logger(List.of("--udp", "--port", "" + admitted, "--rfc3164"), "admitted", "user.info", "udp from loopback");
        await("the admitted message", () -> count(store, "SELECT count(*) FROM Syslog") == 1);
        assertThat(query(store, "SELECT SyslogMessage FROM Syslog"))
                .containsExactly(Map.of("SyslogMessage", "udp from loopback"));
        assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
    }

    @Test
    void closingWritesWhatWasRead() throws Exception {
        // a linger far longer than the test: only close() can write these
        SyslogListenerConfig config = new SyslogListenerConfig(
                SyslogTransport.TCP,
                LOOPBACK,
                0,
                SyslogListenerConfig.DEFAULT_MAX_MESSAGE_BYTES,
                4,
                Duration.ofMinutes(1),
                1_000_000,
                Duration.ofMinutes(10),
                Optional.empty(),
                SenderFilter.LOOPBACK);
        SyslogListener listener = SyslogListener.start(config, SyslogTestPeers.pipeline(store, metrics), metrics);
        int messages = 3_000;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < messages; i++) {
            bytes.writeBytes(("<13>Nov 25 10:00:00 host app: message " + i + "\n").getBytes(UTF_8));
        }
        try (Socket socket = new Socket(LOOPBACK, listener.port())) {
            socket.getOutputStream().write(bytes.toByteArray());
            socket.getOutputStream().flush();
            await("all bytes read", () -> metrics.value("bytes_received_total", "input", "syslog_tcp") == bytes.size());
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isZero();
            listener.close();
        }
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(messages);
        assertThat(metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164"))
                .isEqualTo(messages);
    }

    @Test
    void closingFirstReadsWhatSendersAlreadySent() throws Exception {
        SyslogListener listener = SyslogListener.start(
                SyslogListenerConfig.of(SyslogTransport.TCP, LOOPBACK, 0),
                SyslogTestPeers.pipeline(store, metrics),
                metrics);
        int messages = 5_000;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < messages; i++) {
            bytes.writeBytes(("<13>Nov 25 10:00:00 host app: sent before shutdown " + i + "\n").getBytes(UTF_8));
        }
        // an idle connection must not hold the shutdown up
        try (Socket idle = new Socket(LOOPBACK, listener.port());
                Socket socket = new Socket(LOOPBACK, listener.port())) {
            socket.getOutputStream().write(bytes.toByteArray());
            socket.getOutputStream().flush();
            // only connections the listener accepted are its to drain; a backlog one is the sender's to retry
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (metrics.value("syslog_connections_total", "input", "syslog_tcp") < 2
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            long started = System.nanoTime();
            listener.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(messages);
    }

    private static void assertRow(Map<String, Object> row, String facility, String severity, String host, String text) {
        assertThat(row)
                .containsEntry("Facility", facility)
                .containsEntry("SeverityLevel", severity)
                .containsEntry("HostName", host);
        assertThat((String) row.get("SyslogMessage")).startsWith(text);
    }

    /** util-linux logger, one message, with a fixed pid, MSGID and structured data (used by RFC 5424 only). */
    static void logger(List<String> transport, String tag, String priority, String message)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("logger", "--server", LOOPBACK));
        command.addAll(transport);
        command.addAll(List.of(
                "--tag",
                tag,
                "--id=4242",
                "--priority",
                priority,
                "--msgid",
                "MSG47",
                "--sd-id",
                "vigil@32473",
                "--sd-param",
                "case=\"" + tag + "\"",
                "--",
                message));
        run(command);
    }
}
