package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The copy-paste examples of the README and the user documentation in {@code docs/}, each marked {@code <!--
 * example: NAME … -->} before its fenced block; the shell ones run as written by bash with a {@code vigil} function
 * that runs the CLI on the test's classpath (as the launcher would). Tests replace only addresses and paths, so an
 * example that stops working fails a test, wherever in the documentation it has moved.
 */
final class ReadmeScripts {
    private static final Path PROJECT = Path.of("..");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private ReadmeScripts() {}

    /** The fenced block (bash, yaml, …) after the marker of {@code name}, which exactly one document has. */
    static String example(String name) throws IOException {
        String marker = "<!-- example: " + name + " ";
        List<String> found = new ArrayList<>();
        for (Path document : documents()) {
            String text = Files.readString(document, UTF_8);
            int at = text.indexOf(marker);
            while (at >= 0) {
                int start = text.indexOf('\n', text.indexOf("```", at)) + 1;
                found.add(text.substring(start, text.indexOf("```", start)));
                at = text.indexOf(marker, at + 1);
            }
        }
        assertThat(found)
                .as("README.md and docs/*.md mark exactly one example named %s", name)
                .hasSize(1);
        return found.getFirst();
    }

    /** README.md and the Markdown files of docs/, in name order so a failure reads the same every time. */
    static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>();
        documents.add(PROJECT.resolve("README.md"));
        try (Stream<Path> files = Files.list(PROJECT.resolve("docs"))) {
            files.filter(file -> file.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .forEach(documents::add);
        }
        return documents;
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
