package io.vigil.detect.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.library.RuleLibrary;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service a server runs: enabled library rules, NRT on the commit stream, with the system clock. */
class DetectionServiceTest {
    private static final String NRT = """
            id: 3f0c8a2e-0000-4000-8000-00000000b10b
            name: Audit log cleared (NRT)
            description: Event 1102.
            severity: High
            kind: NRT
            query: SecurityEvent | where EventID == 1102 | project TimeGenerated, Computer
            """;

    @TempDir
    Path dataDir;

    @Test
    void anEnabledNrtRuleAlertsSoonAfterTheCommitAndADisabledOneNever() throws Exception {
        try (DuckDbStore store = DuckDbStore.open(dataDir, StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics())) {
            KqlEngine engine = KqlEngine.builder(store).build();
            RuleLibrary library = new RuleLibrary(dataDir);
            assertThat(library.importFile("nrt.yaml", NRT, engine, Instant.now()))
                    .singleElement()
                    .satisfies(imported -> assertThat(imported.enabled()).isTrue());
            try (DetectionService service =
                    new DetectionService(store, Clock.systemUTC(), QueryLimits.DEFAULT, library::enabledRules)) {
                service.start();
                long committed = write(store, "dc01");
                long alerted = awaitAlerts(engine, 1);
                System.out.println("nrt commit to stored alert: " + (alerted - committed) / 1_000_000 + " ms");

                library.setEnabled("3f0c8a2e-0000-4000-8000-00000000b10b", false);
                write(store, "dc02");
                write(store, "dc01");
                Thread.sleep(1_500);
                assertThat(count(engine)).isEqualTo(1);
            }
        }
    }

    private static long write(DuckDbStore store, String computer) throws Exception {
        store.write(List.of(store.catalog()
                        .require("SecurityEvent")
                        .newRow()
                        .set("TimeGenerated", Instant.now())
                        .set("EventID", 1102)
                        .set("Computer", computer)
                        .build()))
                .get(30, TimeUnit.SECONDS);
        return System.nanoTime();
    }

    private static long awaitAlerts(KqlEngine engine, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count(engine) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count(engine)).isEqualTo(expected);
        return System.nanoTime();
    }

    private static long count(KqlEngine engine) throws InterruptedException {
        return ((Number) engine.execute("SecurityAlert | count", QueryParameters.at(Instant.now()), QueryLimits.DEFAULT)
                        .rows()
                        .get(0)
                        .get(0))
                .longValue();
    }
}
