package io.vigil.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.spi.EventStore;
import io.vigil.store.DuckDbStore;
import io.vigil.testing.RowCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real peers and store look-ups shared by the syslog listener tests. */
final class SyslogTestPeers {
    private SyslogTestPeers() {}

    /** The pipeline a listener feeds, as the server wires it. */
    static IngestPipeline pipeline(EventStore store, Metrics metrics) {
        return new IngestPipeline(store, LogFormats.builtIn(), Clock.systemUTC(), metrics);
    }

    /** Runs a command to completion (bounded), failing the test if it does not exit 0. */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }

    /** The JDK's keytool: JAVA_HOME's, else the running JVM's. */
    static Path keytool() {
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && Files.isExecutable(Path.of(javaHome, "bin", "keytool"))) {
            return Path.of(javaHome, "bin", "keytool");
        }
        return Path.of(System.getProperty("java.home"), "bin", "keytool");
    }

    /** A self-signed PKCS12 keystore for CN=localhost / 127.0.0.1 and its password file. */
    static SyslogTlsConfig selfSignedKeystore(Path dir, String password) throws IOException, InterruptedException {
        Path keystore = dir.resolve("syslog.p12");
        Path passwordFile = dir.resolve("syslog.password");
        Files.writeString(passwordFile, password + "\n");
        run(List.of(
                keytool().toString(),
                "-genkeypair",
                "-alias",
                "vigil",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                password));
        return new SyslogTlsConfig(keystore, passwordFile);
    }

    /** Polls until the condition holds, for at most ten seconds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, Duration.ofSeconds(10), condition);
    }

    /** Polls until the condition holds, for at most {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static long count(DuckDbStore store, String sql) {
        try (Connection connection = store.newQueryConnection()) {
            return RowCounts.count(connection, sql);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    static List<Map<String, Object>> query(DuckDbStore store, String sql) {
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Map<String, Object>> result = new ArrayList<>();
            while (rows.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rows.getObject(i));
                }
                result.add(row);
            }
            return result;
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }
}
