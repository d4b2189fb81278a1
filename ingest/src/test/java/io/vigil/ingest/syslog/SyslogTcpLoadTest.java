package io.vigil.ingest.syslog;

import static io.vigil.ingest.syslog.SyslogTestPeers.count;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client sends 200,000 LF-framed RFC 3164 messages over TCP on loopback (after 20,000 to warm up the
 * JIT); every one must be stored. Prints the rate from the first byte sent to the last commit; it does
 * not assert speed, which depends on the machine and what else runs on it.
 */
@Timeout(300)
class SyslogTcpLoadTest {
    private static final int MESSAGES = 200_000;
    private static final int WARM_UP_MESSAGES = 20_000;

    @TempDir
    Path temp;

    @Test
    void twoHundredThousandMessagesOverOneConnectionLoseNothing() throws Exception {
        Metrics metrics = new Metrics();
        try (DuckDbStore store =
                DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, Clock.systemUTC(), metrics)) {
            SyslogListener listener = SyslogListener.start(
                    SyslogListenerConfig.of(SyslogTransport.TCP, "127.0.0.1", 0),
                    SyslogTestPeers.pipeline(store, metrics),
                    metrics);
            // the client's bytes are made before the clock starts, so that the rate is the listener's
            byte[] warmUp = messages(0, WARM_UP_MESSAGES);
            byte[] load = messages(WARM_UP_MESSAGES, MESSAGES);
            send(listener.port(), warmUp);
            awaitCommitted(metrics, WARM_UP_MESSAGES);
            long started = System.nanoTime();
            long cpuStarted = processCpuNanos();
            long writerCpuStarted = threadCpuNanos("vigil-writer-Syslog");
            send(listener.port(), load);
            awaitCommitted(metrics, WARM_UP_MESSAGES + MESSAGES);
            double seconds = (System.nanoTime() - started) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
            double writerCpuSeconds = (threadCpuNanos("vigil-writer-Syslog") - writerCpuStarted) / 1e9;
            // the machine is shared, so wall-clock rates vary with its load; CPU time per message does less
            System.out.printf(
                    Locale.ROOT,
                    "syslog TCP load: %,d messages (%,.1f MB) in %.2f s = %,.0f messages/s, %.1f MB/s, committed;"
                            + " JVM CPU %.2f s (%,.0f messages per CPU second), of which the Syslog table writer"
                            + " %.2f s; load average %.1f on %d CPUs%n",
                    MESSAGES,
                    load.length / 1e6,
                    seconds,
                    MESSAGES / seconds,
                    load.length / 1e6 / seconds,
                    cpuSeconds,
                    MESSAGES / cpuSeconds,
                    writerCpuSeconds,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            listener.close();
            long total = WARM_UP_MESSAGES + MESSAGES;
            assertThat(count(store, "SELECT count(*) FROM Syslog")).isEqualTo(total);
            assertThat(count(store, "SELECT count(DISTINCT SyslogMessage) FROM Syslog"))
                    .isEqualTo(total);
            assertThat(count(store, "SELECT count(*) FROM VigilDeadLetter")).isZero();
            assertThat(metrics.value("bytes_received_total", "input", "syslog_tcp"))
                    .isEqualTo(warmUp.length + load.length);
        }
    }

    private static byte[] messages(int first, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 180);
        for (int i = first; i < first + count; i++) {
            out.writeBytes(("<86>Nov 25 10:" + two(i / 60 % 60) + ":" + two(i % 60) + " web-" + (i % 16) + " sshd["
                            + (1000 + i % 5000) + "]: Accepted publickey for user" + (i % 100) + " from 10.0."
                            + (i % 250) + "." + (i % 200) + " port " + (40000 + i % 20000)
                            + " ssh2: ED25519 SHA256:abcdefghijklmnopqrstuvwxyz0123456789 seq=" + i + "\n")
                    .getBytes(UTF_8));
        }
        return out.toByteArray();
    }

    private static void send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port);
                OutputStream out = socket.getOutputStream()) {
            for (int offset = 0; offset < bytes.length; offset += 64 * 1024) {
                out.write(bytes, offset, Math.min(64 * 1024, bytes.length - offset));
            }
        }
    }

    private static void awaitCommitted(Metrics metrics, long messages) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (metrics.value("events_received_total", "input", "syslog_tcp", "format", "syslog_rfc3164") < messages) {
            assertThat(System.nanoTime() - deadline)
                    .as("all messages committed in time")
                    .isNegative();
            Thread.sleep(2);
        }
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static long threadCpuNanos(String name) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return threads.getThreadCpuTime(thread.threadId());
            }
        }
        return 0;
    }

    private static String two(int value) {
        if (value < 10) {
            return "0" + value;
        }
        return Integer.toString(value);
    }
}
