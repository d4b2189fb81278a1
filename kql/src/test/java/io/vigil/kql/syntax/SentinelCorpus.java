package io.vigil.kql.syntax;

import io.vigil.testing.SharedCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** The Sentinel rules and hunting queries of the shared corpus, with their {@code query:} text. */
final class SentinelCorpus {
    /** A rule file and its query; {@code extractedByHand} when the YAML itself does not load. */
    record Rule(String path, String query, boolean extractedByHand) {}

    private SentinelCorpus() {}

    static Path root() {
        return SharedCorpus.rules().resolve("sentinel-dev");
    }

    static List<Rule> rules() {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            List<Rule> rules = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml"))
                    .sorted()
                    .toList()) {
                rules.add(read(root, file));
            }
            return rules;
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    private static Rule read(Path root, Path file) throws IOException {
        String relative = root.relativize(file).toString().replace('\\', '/');
        String text = decode(Files.readAllBytes(file));
        try {
            Object document = new Load(LoadSettings.builder().build()).loadFromString(text);
            if (document instanceof Map<?, ?> map && map.get("query") instanceof String query) {
                return new Rule(relative, query, false);
            }
            throw new AssertionError(relative + " has no query field");
        } catch (YamlEngineException exception) {
            // one upstream file is not valid YAML (a misindented entityMappings list after the query);
            // its query is an ordinary literal block, which we cut out line by line
            return new Rule(relative, extractQueryBlock(relative, text), true);
        }
    }

    /**
     * Decodes leniently: malformed bytes become U+FFFD instead of failing the whole corpus. In the
     * current snapshot all files are valid UTF-8, but 54 start with a byte-order mark, which the YAML
     * loader drops.
     */
    static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException exception) {
            throw new IllegalStateException("replacing decoder cannot fail", exception);
        }
    }

    /** The body of a top-level {@code query: |} block: the more-indented lines that follow it. */
    static String extractQueryBlock(String relative, String text) {
        List<String> lines = text.lines().toList();
        int start = -1;
        for (int index = 0; index < lines.size(); index++) {
            if (lines.get(index).startsWith("query: |")) {
                start = index + 1;
                break;
            }
        }
        if (start < 0) {
            throw new AssertionError(relative + " is not valid YAML and has no 'query: |' block");
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
        return query.toString();
    }
}
