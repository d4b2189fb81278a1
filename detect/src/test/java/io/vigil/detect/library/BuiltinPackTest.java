package io.vigil.detect.library;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.KqlEngine;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of the built-in pack compiles with the engine and imports enabled, idempotently. */
class BuiltinPackTest {
    @TempDir
    Path dataDir;

    @Test
    void everyPackRuleCompilesAndImportsEnabledOnce() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            KqlEngine engine = KqlEngine.builder(store).build();
            RuleLibrary library = new RuleLibrary(dataDir);
            List<RuleLibrary.Imported> imported = BuiltinPack.importInto(library, engine, Instant.now());
            assertThat(imported).hasSize(BuiltinPack.files().size()).hasSizeGreaterThanOrEqualTo(8);
            assertThat(imported)
                    .allSatisfy(rule ->
                            assertThat(rule.problems()).as(rule.source()).isEmpty())
                    .allSatisfy(
                            rule -> assertThat(rule.enabled()).as(rule.source()).isTrue());
            assertThat(imported)
                    .allSatisfy(rule -> assertThat(rule.rule().orElseThrow().entityMappings())
                            .as(rule.source())
                            .isNotEmpty());

            BuiltinPack.importInto(library, engine, Instant.now());
            assertThat(library.rules()).hasSize(imported.size());
        }
    }
}
