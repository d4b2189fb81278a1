package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code demo} runs the same server as {@code server}: every server flag is a demo flag too. */
class ServerFlagsTest {
    private static List<String> optionNames(Object command) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : new CommandLine(command).getCommandSpec().options()) {
            names.add(option.longestName());
        }
        return names;
    }

    @Test
    void demoTakesEveryServerFlag() {
        List<String> demo = optionNames(new DemoCommand());

        assertThat(demo).containsAll(optionNames(new ServerCommand()));
        assertThat(demo).contains("--query-timeout", "--query-max-rows", "--query-max-bytes", "--geoip-db");
    }

    @Test
    void demoReadsTheQueryLimitsFlags() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--data", "x", "--query-timeout", "90s", "--query-max-rows", "7");

        assertThat(demo.server.queries.limits().timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(demo.server.queries.limits().maxRows()).isEqualTo(7);
    }
}
