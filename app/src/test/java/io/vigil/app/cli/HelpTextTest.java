package io.vigil.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written: picocli treats descriptions as format strings, so a bare
 * {@code %} (as in "40%") makes it warn on stderr and print the raw text.
 */
class HelpTextTest {
    @Test
    void everyCommandsHelpRendersWithoutAFormatWarning() {
        List<CommandLine> commands = new ArrayList<>();
        collect(new CommandLine(new VigilMain()), commands);
        assertThat(commands).hasSizeGreaterThan(20);
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : commands) {
                assertThat(command.getUsageMessage()).isNotBlank();
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    private static void collect(CommandLine commandLine, List<CommandLine> into) {
        into.add(commandLine);
        commandLine.getSubcommands().values().forEach(sub -> collect(sub, into));
    }
}
