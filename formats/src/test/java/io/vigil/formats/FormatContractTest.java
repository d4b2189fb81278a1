package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vigil.catalog.TableCatalog;
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
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract every format keeps, checked for every registered format: empty, random, truncated and
 * mutated input (a small seeded mutation fuzzer over the golden inputs) never throws; every row goes
 * to a declared output table and uses a column type's representation (enforced by Row.Builder).
 */
class FormatContractTest {
    private static final TableCatalog CATALOG = TableCatalog.builtIn();
    private static final ParseContext CONTEXT =
            ParseContext.of(CATALOG, Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC));
    private static final int MUTATIONS_PER_INPUT = 150;
    private static final String SYNTAX_BYTES = "{}[]\",:<>;=|\\\n'0 ";

    @TestFactory
    Stream<DynamicTest> everyFormatKeepsTheContract() {
        return LogFormats.builtIn().all().stream()
                .map(format -> DynamicTest.dynamicTest(format.name(), () -> checkContract(format)));
    }

    private static void checkContract(LogFormat format) throws IOException {
        assertThat(format.name()).matches("[a-z][a-z0-9_]*");
        assertThat(format.description()).isNotBlank();
        for (String table : format.outputTables()) {
            assertThat(CATALOG.table(table))
                    .as("output table %s of %s", table, format.name())
                    .isPresent();
        }
        List<byte[]> inputs = new ArrayList<>();
        inputs.add(new byte[0]);
        inputs.add(new byte[] {'\n'});
        inputs.add(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        Random random = new Random(format.name().hashCode());
        for (int i = 0; i < 50; i++) {
            byte[] noise = new byte[random.nextInt(300)];
            random.nextBytes(noise);
            inputs.add(noise);
        }
        Path goldenDir = GoldenFormatTest.GOLDEN.resolve(format.name());
        if (Files.isDirectory(goldenDir)) {
            for (Path input : GoldenFormatTest.inputs(goldenDir)) {
                byte[] bytes = Files.readAllBytes(input);
                for (int cut = 1; cut <= 20; cut++) {
                    inputs.add(Arrays.copyOf(bytes, bytes.length * cut / 21));
                }
                for (int i = 0; i < MUTATIONS_PER_INPUT; i++) {
                    inputs.add(mutate(bytes, random));
                }
            }
        }
        for (byte[] input : inputs) {
            CollectingSink sink = new CollectingSink();
            assertThatCode(() -> format.parse("contract", input, CONTEXT, sink))
                    .as("%s on %d bytes", format.name(), input.length)
                    .doesNotThrowAnyException();
            for (Row row : sink.rows) {
                if (!format.outputTables().isEmpty()) {
                    assertThat(format.outputTables()).contains(row.table().name());
                }
            }
            assertThat(format.detect(input)).isBetween(0, 100);
        }
    }

    private static byte[] mutate(byte[] input, Random random) {
        byte[] copy = input.clone();
        if (copy.length == 0) {
            return copy;
        }
        int edits = 1 + random.nextInt(8);
        for (int i = 0; i < edits; i++) {
            int position = random.nextInt(copy.length);
            switch (random.nextInt(4)) {
                case 0 -> copy[position] = (byte) random.nextInt(256);
                case 1 -> copy[position] = (byte) SYNTAX_BYTES.charAt(random.nextInt(SYNTAX_BYTES.length()));
                case 2 -> copy = Arrays.copyOf(copy, position);
                default -> {
                    // splice a copy of another region in
                    int from = random.nextInt(copy.length);
                    int length = Math.min(copy.length - from, random.nextInt(64));
                    byte[] spliced = new byte[copy.length + length];
                    System.arraycopy(copy, 0, spliced, 0, position);
                    System.arraycopy(copy, from, spliced, position, length);
                    System.arraycopy(copy, position, spliced, position + length, copy.length - position);
                    copy = spliced;
                }
            }
            if (copy.length == 0) {
                break;
            }
        }
        return copy;
    }
}
