package io.vigil.detect;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.rule.RuleDurations;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Sentinel analytic rules and hunting queries on disk: YAML files with a {@code query} field, as in the
 * Azure-Sentinel repository. A file whose YAML does not load is kept as a rule with its YAML problem, and
 * with the query cut out of its {@code query: |} block by hand when it has one.
 */
public final class SentinelRuleFiles {
    private static final Pattern PERIOD_LINE = Pattern.compile("(?m)^queryPeriod:\\s*['\"]?(\\w+)");

    private SentinelRuleFiles() {}

    /** A YAML problem: its text and 1-based position, 0 when unknown. */
    public record YamlProblem(String message, int line, int column) {
        public YamlProblem {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * One rule file. {@code query} is empty when the YAML did not load and no query block could be cut
     * out; {@code yamlProblem} is present exactly when the YAML did not load.
     */
    public record Rule(
            String path, Optional<String> query, Optional<Duration> queryPeriod, Optional<YamlProblem> yamlProblem) {
        public Rule {
            requireNonNull(path, "path is null");
            requireNonNull(query, "query is null");
            requireNonNull(queryPeriod, "queryPeriod is null");
            requireNonNull(yamlProblem, "yamlProblem is null");
        }
    }

    /**
     * The rules under each path (a file or a folder walked recursively), in path order, each file once;
     * YAML files without a {@code query} are not rules and are left out. Paths are shown relative to the
     * folder given, or as given for a file.
     */
    public static List<Rule> find(List<Path> paths) throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    for (Path file : walk.filter(Files::isRegularFile)
                            .filter(SentinelRuleFiles::isYaml)
                            .sorted()
                            .toList()) {
                        files.putIfAbsent(
                                file.toAbsolutePath().normalize(),
                                path.relativize(file).toString().replace('\\', '/'));
                    }
                }
            } else {
                files.putIfAbsent(
                        path.toAbsolutePath().normalize(), path.toString().replace('\\', '/'));
            }
        }
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<Path, String> file : files.entrySet()) {
            read(file.getValue(), Files.readAllBytes(file.getKey())).ifPresent(rules::add);
        }
        return rules;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    public static Optional<Rule> read(String path, byte[] bytes) {
        String text = decode(bytes);
        Object document;
        try {
            document = new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (YamlEngineException exception) {
            YamlProblem problem = problem(exception);
            return Optional.of(
                    new Rule(path, extractQueryBlock(text), period(PERIOD_LINE.matcher(text)), Optional.of(problem)));
        }
        if (document instanceof Map<?, ?> map && map.get("query") instanceof String query) {
            Optional<Duration> period = Optional.empty();
            if (map.get("queryPeriod") instanceof String value) {
                period = parsePeriod(value);
            }
            return Optional.of(new Rule(path, Optional.of(query), period, Optional.empty()));
        }
        return Optional.empty();
    }

    private static YamlProblem problem(YamlEngineException exception) {
        if (exception instanceof MarkedYamlEngineException marked
                && marked.getProblemMark().isPresent()) {
            // snakeyaml's marks are 0-based
            return new YamlProblem(
                    String.valueOf(marked.getProblem()),
                    marked.getProblemMark().get().getLine() + 1,
                    marked.getProblemMark().get().getColumn() + 1);
        }
        String message =
                String.valueOf(exception.getMessage()).lines().findFirst().orElse("");
        return new YamlProblem(message, 0, 0);
    }

    private static Optional<Duration> period(Matcher matcher) {
        if (matcher.find()) {
            return parsePeriod(matcher.group(1));
        }
        return Optional.empty();
    }

    /** Sentinel's {@code queryPeriod}: {@code 5m}, {@code 1h}, {@code 14d}, or ISO-8601 as in ARM templates. */
    public static Optional<Duration> parsePeriod(String value) {
        return RuleDurations.parse(value);
    }

    /**
     * Decodes leniently: malformed bytes become U+FFFD rather than losing the rule. Many upstream files
     * start with a byte-order mark, which the YAML loader drops.
     */
    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException exception) {
            throw new IllegalStateException("a replacing decoder cannot fail", exception);
        }
    }

    /**
     * The body of a top-level {@code query: |} (or {@code |-}, {@code >}) block: the more-indented lines
     * that follow it. One upstream rule is invalid YAML only after its query (a misindented list), so
     * its query can still be checked.
     */
    public static Optional<String> extractQueryBlock(String text) {
        List<String> lines = text.replace("\uFEFF", "").lines().toList();
        int start = -1;
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index).stripTrailing();
            if (line.matches("query:\\s*[|>][-+]?")) {
                start = index + 1;
                break;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        int indent = -1;
        StringBuilder query = new StringBuilder();
        for (int index = start; index < lines.size(); index++) {
            String line = lines.get(index);
            if (line.isBlank()) {
                query.append('\n');
                continue;
            }
            int lineIndent = line.length() - line.stripLeading().length();
            if (indent < 0) {
                indent = lineIndent;
            }
            if (lineIndent < indent || lineIndent == 0) {
                break;
            }
            query.append(line.substring(indent)).append('\n');
        }
        if (query.toString().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(query.toString());
    }
}
