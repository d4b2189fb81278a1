package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The README's copy-paste examples, each marked {@code <!-- example: NAME … -->} before its fenced block; the
 * shell ones run as written by bash with a {@code vigil} function that runs the CLI on the test's classpath (as the
 * launcher would). Tests replace only addresses and paths, so an example that stops working fails a test.
 */
final class ReadmeScripts {
    private static final Path README = Path.of("..", "README.md");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private ReadmeScripts() {}

    /** The fenced block (bash, yaml, …) after the marker of {@code name}. */
    static String example(String name) throws IOException {
        String readme = Files.readString(README, UTF_8);
        int marker = readme.indexOf("<!-- example: " + name + " ");
        assertThat(marker).as("README marks an example named %s", name).isNotNegative();
        int start = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
        return readme.substring(start, readme.indexOf("```", start));
    }

    /**
     * Runs the example {@code name} in {@code folder} with each key of {@code replacements} replaced by its
     * value; fails unless it exits 0 within 90 s, and returns what it printed, line by line.
     */
    static List<String> run(String name, Path folder, Map<String, String> replacements) throws Exception {
        String script = example(name);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            script = script.replace(replacement.getKey(), replacement.getValue());
        }
        String prelude = "set -euo pipefail\nvigil() { '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -cp \"$VIGIL_CLASSPATH\" io.vigil.app.VigilMain \"$@\"; }\n";
        Path file = Files.writeString(folder.resolve(name + ".sh"), prelude + script, UTF_8);
        ProcessBuilder builder = new ProcessBuilder("bash", file.toString())
                .directory(folder.toFile())
                .redirectErrorStream(true);
        builder.environment().put("VIGIL_CLASSPATH", System.getProperty("java.class.path"));
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the " + name + " example did not finish within " + TIMEOUT);
        }
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.exitValue())
                .as("exit of the %s example; it printed:%n%s", name, output)
                .isZero();
        return output.lines().toList();
    }
}
