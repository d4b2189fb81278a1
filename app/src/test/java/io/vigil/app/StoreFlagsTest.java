package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.VigilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The DuckDB memory and spill flags (and settings-file keys) reach the store the server opens. */
class StoreFlagsTest {
    @TempDir
    Path temp;

    @Test
    void theSettingsFilesStoreLimitsAreTheDatabasesSettings() throws Exception {
        Path spill = temp.resolve("spill");
        Path file = Files.writeString(temp.resolve("vigil.yaml"), """
                store-memory-limit: 300MiB
                store-temp-dir: %s
                store-max-temp-size: 2GB
                """.formatted(spill), UTF_8);
        Path data = temp.resolve("data");
        ServerCommand command =
                parse("server", "--config", file.toString(), "--data", data.toString(), "--store-max-temp-size", "3GB");

        try (VigilRuntime runtime =
                        VigilRuntime.open(data, java.util.Optional.empty(), command.server.store.resources());
                Connection connection = runtime.store().newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('memory_limit'),"
                        + " current_setting('temp_directory'), current_setting('max_temp_directory_size')")) {
            rows.next();
            // DuckDB shows sizes in its own rounding: 300 MiB is 314.5 MB; the flag beats the file's 2GB
            assertThat(rows.getString(1)).isEqualTo("300.0 MiB");
            assertThat(rows.getString(2)).isEqualTo(spill.toAbsolutePath().toString());
            assertThat(rows.getString(3)).isEqualTo("3.0 GiB");
        }
    }

    @Test
    void badSizesAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> parse("server", "--store-memory-limit", "lots")
                        .server
                        .store
                        .resources())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--store-memory-limit")
                .hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> parse("server", "--store-memory-limit", "1MB")
                        .server
                        .store
                        .resources())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("at least 64 MiB");
        assertThatThrownBy(() -> parse("server", "--store-max-temp-size", "9999999999TB")
                        .server
                        .store
                        .resources())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--store-max-temp-size");
    }

    private static ServerCommand parse(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new VigilMain()).parseArgs(SettingsFile.apply(args));
        while (parsed.hasSubcommand()) {
            parsed = parsed.subcommand();
        }
        return (ServerCommand) parsed.commandSpec().userObject();
    }
}
