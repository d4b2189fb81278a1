package io.vigil.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil export --with-proof} then {@code vigil verify-export} with only the public key, on a copy of the
 * export elsewhere: it holds, and a changed row makes it fail with exit code 1.
 */
@Timeout(120)
class ExportCommandTest {
    @TempDir
    Path temp;

    @Test
    void anExportVerifiesWithThePublicKeyAloneAndATamperedOneDoesNot() throws Exception {
        Path data = temp.resolve("ws");
        Instant now = Instant.now();
        try (VigilRuntime runtime = VigilRuntime.open(data)) {
            runtime.store()
                    .write(List.of(
                            runtime.store()
                                    .catalog()
                                    .require("SigninLogs")
                                    .newRow()
                                    .set("TimeGenerated", now.minusSeconds(120))
                                    .set("UserPrincipalName", "alice@contoso.com")
                                    .build(),
                            runtime.store()
                                    .catalog()
                                    .require("SigninLogs")
                                    .newRow()
                                    .set("TimeGenerated", now.minusSeconds(60))
                                    .set("UserPrincipalName", "bob@contoso.com")
                                    .build()))
                    .get(30, TimeUnit.SECONDS);
        }
        Path publicKey =
                Files.copy(data.resolve("secrets").resolve("integrity-signing.pub"), temp.resolve("vigil.pub"));
        Path out = temp.resolve("export");
        CliRun export = CliRun.run(
                "export",
                "--data",
                data.toString(),
                "--table",
                "SigninLogs",
                "--from",
                now.minus(Duration.ofHours(1)).toString(),
                "--to",
                now.toString(),
                "--with-proof",
                out.toString());
        assertThat(export.successLines().getFirst()).startsWith("exported 2 rows of 1 batches");

        CliRun verified = CliRun.run("verify-export", out.toString(), "--public-key", publicKey.toString());
        assertThat(verified.exit()).isZero();
        assertThat(verified.out()).contains("the export holds");

        Path rows = out.resolve("rows.ndjson");
        Files.writeString(rows, Files.readString(rows, UTF_8).replace("bob@contoso.com", "eve@contoso.com"), UTF_8);
        CliRun tampered = CliRun.run("verify-export", out.toString(), "--public-key", publicKey.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.out()).contains("differs from the row committed");

        assertThat(CliRun.run("verify-export", temp.resolve("nothing").toString(), "--public-key", publicKey.toString())
                        .exit())
                .isEqualTo(2);
        CliRun notEmpty = CliRun.run(
                "export",
                "--data",
                data.toString(),
                "--table",
                "SigninLogs",
                "--from",
                now.minus(Duration.ofHours(1)).toString(),
                "--to",
                now.toString(),
                "--with-proof",
                out.toString());
        assertThat(notEmpty.exit()).isEqualTo(2);
        assertThat(notEmpty.err()).contains("is not empty");
    }
}
