package io.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.catalog.TableCatalog;
import io.vigil.formats.common.JsonRecords;
import io.vigil.formats.common.RowJson;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: every {@code golden/<format>/<case>.<ext>} is parsed by the format named by its
 * folder and compared with {@code <case>.expected.jsonl} (one line per row, dead letter or repair, in
 * emission order). Run with {@code -Dgolden.update=true} to rewrite the expectations, then review the
 * diff like code; {@code -Dgolden.only=<regex>} limits the run to matching format folders. Parsing uses a fixed clock (2026-11-25T12:00:00Z) and zone UTC.
 */
class GoldenFormatTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final TableCatalog CATALOG = TableCatalog.builtIn();

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> formats = Files.list(GOLDEN)) {
            String only = System.getProperty("golden.only", "");
            for (Path formatDir : formats.sorted().toList()) {
                if (!only.isEmpty() && !formatDir.getFileName().toString().matches(only)) {
                    continue;
                }
                LogFormat format = LogFormats.builtIn()
                        .byName(formatDir.getFileName().toString())
                        .orElseThrow(() -> new AssertionError("no format named after folder " + formatDir));
                for (Path input : inputs(formatDir)) {
                    tests.add(DynamicTest.dynamicTest(
                            formatDir.getFileName() + "/" + input.getFileName(), () -> check(format, input)));
                }
            }
        }
        return tests.stream();
    }

    static List<Path> inputs(Path formatDir) throws IOException {
        try (Stream<Path> files = Files.list(formatDir)) {
            return files.filter(path -> !path.getFileName().toString().endsWith(".expected.jsonl"))
                    .filter(path -> !path.getFileName().toString().endsWith(".md"))
                    .sorted()
                    .toList();
        }
    }

    static CollectingSink parse(LogFormat format, Path input) throws IOException {
        CollectingSink sink = new CollectingSink();
        ParseContext context = ParseContext.of(CATALOG, Clock.fixed(NOW, ZoneOffset.UTC));
        format.parse(input.getFileName().toString(), Files.readAllBytes(input), context, sink);
        return sink;
    }

    private static void check(LogFormat format, Path input) throws IOException {
        CollectingSink sink = parse(format, input);
        StringBuilder actual = new StringBuilder();
        for (Object event : sink.events) {
            ObjectNode line = JsonRecords.MAPPER.createObjectNode();
            switch (event) {
                case Row row -> {
                    line.put("table", row.table().name());
                    line.set("row", RowJson.toJson(row));
                }
                case DeadLetter deadLetter -> {
                    ObjectNode dead = line.putObject("deadLetter");
                    dead.put("reason", deadLetter.reason().code());
                    dead.put("detail", deadLetter.detail());
                    dead.put("rawBytes", deadLetter.raw().length);
                }
                case String repair -> line.put("repaired", repair);
                default -> throw new AssertionError("unexpected event " + event);
            }
            actual.append(JsonRecords.MAPPER.writeValueAsString(line)).append('\n');
        }
        String name = input.getFileName().toString();
        Path expectedFile = input.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".expected.jsonl");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expectedFile, actual.toString(), UTF_8);
        }
        assertThat(expectedFile)
                .as("expected output; create it with -Dgolden.update=true and review it")
                .exists();
        assertThat(actual.toString()).isEqualTo(Files.readString(expectedFile, UTF_8));
    }
}
