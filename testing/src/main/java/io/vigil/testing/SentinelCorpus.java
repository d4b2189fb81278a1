package io.vigil.testing;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * The Sentinel rules and hunting queries of the shared corpus with their {@code query:} text, read
 * straight from the YAML so that the KQL tests need no detection code (detection depends on KQL, not
 * the other way round).
 */
public final class SentinelCorpus {
    /**
     * A rule file (relative to the corpus root, with forward slashes) and its query; {@code truncated}
     * when the whole file is not valid YAML and the query came from the top-level keys before the error.
     */
    public record Rule(String path, String query, boolean truncated) {
        public Rule {
            requireNonNull(path, "path is null");
            requireNonNull(query, "query is null");
        }
    }

    private SentinelCorpus() {}

    public static Path root() {
        return SharedCorpus.rules().resolve("sentinel-dev");
    }

    /** Every YAML file under the corpus root that has a {@code query}, in path order. */
    public static List<Rule> rules() {
        Path root = root();
        List<Rule> rules = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                String path = root.relativize(file).toString().replace('\\', '/');
                read(path, Files.readString(file, StandardCharsets.UTF_8)).ifPresent(rules::add);
            }
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
        return rules;
    }

    private static Optional<Rule> read(String path, String text) {
        boolean truncated = false;
        Object document;
        try {
            document = load(text);
        } catch (MarkedYamlEngineException exception) {
            // one upstream file is invalid only after its query (a misindented list): keep the top-level
            // entries that end before the line of the error
            int errorLine = exception.getProblemMark().orElseThrow().getLine();
            document = load(beforeLastTopLevelKey(text, errorLine));
            truncated = true;
        }
        if (document instanceof Map<?, ?> map && map.get("query") instanceof String query) {
            return Optional.of(new Rule(path, query, truncated));
        }
        return Optional.empty();
    }

    private static Object load(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    private static String beforeLastTopLevelKey(String text, int errorLine) {
        List<String> lines = text.lines().toList();
        int end = Math.min(errorLine, lines.size());
        while (end > 0 && !lines.get(end).matches("[A-Za-z]\\w*:.*")) {
            end--;
        }
        return String.join("\n", lines.subList(0, end)) + "\n";
    }
}
