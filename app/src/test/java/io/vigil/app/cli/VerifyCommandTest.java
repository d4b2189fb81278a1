package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.store.DuckDbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil verify} on a workspace the runtime chained: clean, tampered, and without a key. */
class VerifyCommandTest {
    @TempDir
    Path dataDir;

    @TempDir
    Path elsewhere;

    @BeforeEach
    void ingest() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            for (String computer : new String[] {"web-01", "db-01"}) {
                String json = "[{\"TimeGenerated\":\"" + now.minus(5, ChronoUnit.MINUTES)
                        + "\",\"Type\":\"Heartbeat\",\"Computer\":\"" + computer + "\"}]";
                runtime.pipeline().ingest("test", "inline", json.getBytes(StandardCharsets.UTF_8), Optional.empty());
            }
        }
    }

    @Test
    void anUntouchedWorkspaceVerifiesWithExitZero() {
        CliRun run = CliRun.run("verify", "--data", dataDir.toString());
        assertThat(run.successLines()).contains("no findings");
        assertThat(run.out()).contains("(2 batches), 2 rows");
    }

    @Test
    void aChangedRowIsReportedWithExitOne() throws Exception {
        try (Connection connection =
                        DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve(DuckDbStore.DATABASE_FILE));
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE Heartbeat SET Computer = 'elsewhere' WHERE Computer = 'db-01'");
        }
        CliRun run = CliRun.run("verify", "--data", dataDir.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("CHANGED_ROW table=Heartbeat").contains("1 findings");
    }

    @Test
    void withoutTheKeyItCannotVerifyAndWithOnlyThePublicKeyItDoes() throws Exception {
        Path key = elsewhere.resolve("exported.pub");
        Files.copy(dataDir.resolve("secrets").resolve("integrity-signing.pub"), key);
        Files.delete(dataDir.resolve("secrets").resolve("integrity-signing.key"));
        Files.delete(dataDir.resolve("secrets").resolve("integrity-signing.pub"));
        assertThat(CliRun.run("verify", "--data", dataDir.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.run("verify", "--data", dataDir.toString(), "--public-key", key.toString())
                        .successLines())
                .contains("no findings");
    }
}
