package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigmaCommandTest {
    @Test
    void convertPrintsKqlFailuresAndTheSummary(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.yml"), """
                title: Audit log cleared
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID: 1102
                    condition: selection
                """, StandardCharsets.UTF_8);
        Files.writeString(folder.resolve("b.yml"), """
                title: Mac thing
                logsource:
                    product: macos
                detection:
                    selection:
                        a: 1
                    condition: selection
                """, StandardCharsets.UTF_8);

        CliRun run = CliRun.run("sigma", "convert", folder.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.outLines())
                .contains(
                        "// " + folder.resolve("a.yml") + ": Audit log cleared",
                        "SecurityEvent",
                        "| where EventID == 1102")
                .anyMatch(line -> line.startsWith("FAIL " + folder.resolve("b.yml") + ": unmappable_logsource:"));
        assertThat(run.outLines()).last().isEqualTo("converted 2 rules: 1 ok, 1 failed");
    }
}
