package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.alert.AlertEntity;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code vigil demo --load-only} does, end to end: generate the demo day (five hours of it, at a twentieth
 * of the background volume; the attack story is never scaled), import it, import the built-in pack and run it. Every step of the
 * attack story (docs/demo.md) raises exactly one alert with the story's entities, and every other alert counts
 * as a false positive, of which there may be no more than docs/demo.md states.
 */
class DemoPackEndToEndTest {
    private static final double SCALE = 0.05;

    /**
     * Five hours: the story then starts at the window's first full hour (a fifth of the way in) and keeps its
     * uncompressed gaps, so every step falls at the same offset from an hour boundary, and into the same rule
     * windows, as in the full day; a fifth of the files to load.
     */
    private static final int HOURS = 5;

    /** The false positives docs/demo.md states for the pack at {@link #SCALE} ("Built-in pack on the demo day"). */
    private static final int DOCUMENTED_FALSE_POSITIVES = 0;

    private static final String ATTACKER = "IP Address=198.51.100.23";
    private static final String VICTIM = "Account FullName=megan.bowen@contoso.com";

    /** Alert name of each step's rule → the entities its alert must carry, exactly. */
    private static final Map<String, Set<String>> STORY = story();

    @TempDir
    Path dataDir;

    private static Map<String, Set<String>> story() {
        Map<String, Set<String>> steps = new LinkedHashMap<>();
        steps.put("Password spray", Set.of("IP Address=203.0.113.66"));
        steps.put("Risky sign-in success", Set.of(VICTIM, ATTACKER));
        steps.put("Privileged role assignment", Set.of(VICTIM, ATTACKER));
        steps.put("NSG rule opened to the internet", Set.of(VICTIM));
        steps.put("Mass blob download", Set.of(ATTACKER, "Account AadUserId=0bad5eed-0000-4000-8000-000000000001"));
        steps.put("New service installed", Set.of("Host FullName=vm-web-01.contoso.com"));
        steps.put(
                "Audit log cleared",
                Set.of("Host FullName=vm-web-01.contoso.com", "Account FullName=VM-WEB-01\\azureadmin"));
        steps.put(
                "Defender alert correlated with a risky sign-in",
                Set.of("Host HostName=vm-web-01", "Host HostName=stfinancedata01", ATTACKER, VICTIM));
        return steps;
    }

    @Test
    void builtinPackRaisesOneAlertPerStoryStepOnTheDemoDay() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            DemoCommand.PackRun run = DemoCommand.load(runtime, dataDir, HOURS, 42, SCALE);

            List<String> falsePositives = new ArrayList<>();
            Map<String, Integer> storyAlerts = new LinkedHashMap<>();
            for (Alert alert : run.alerts()) {
                Set<String> entities = entities(alert);
                if (STORY.containsKey(alert.alertName())
                        && STORY.get(alert.alertName()).equals(entities)) {
                    storyAlerts.merge(alert.alertName(), 1, Integer::sum);
                } else {
                    falsePositives.add(alert.alertName() + " " + entities);
                }
            }
            Map<String, Integer> once = new LinkedHashMap<>();
            STORY.keySet().forEach(name -> once.put(name, 1));
            assertThat(storyAlerts)
                    .as("story alerts; other alerts: %s", falsePositives)
                    .containsExactlyInAnyOrderEntriesOf(once);
            assertThat(falsePositives).hasSizeLessThanOrEqualTo(DOCUMENTED_FALSE_POSITIVES);
            assertThat(run.incidents()).hasSameSizeAs(run.alerts());

            // the alerts are stored in SecurityAlert, where the UI, the API and the forwarders read them
            KqlEngine engine = KqlEngine.builder(runtime.store()).build();
            QueryResult stored = engine.run(
                    engine.compileOrThrow(
                            "SecurityAlert | where ProviderName == \"ASI Scheduled Alerts\" | summarize count()",
                            engine.parameters(Optional.empty())),
                    QueryLimits.DEFAULT,
                    QueryCancellation.none());
            assertThat(((Number) stored.rows().get(0).get(0)).longValue())
                    .isEqualTo(run.alerts().size());

            // rule state is kept, so running the pack again raises nothing new
            assertThat(DemoCommand.runBuiltinPack(runtime, dataDir, HOURS).alerts())
                    .isEmpty();
        }
    }

    private static Set<String> entities(Alert alert) {
        Set<String> entities = new TreeSet<>();
        for (AlertEntity entity : alert.entities()) {
            entity.identifiers()
                    .forEach((identifier, value) -> entities.add(entity.type() + " " + identifier + "=" + value));
        }
        return entities;
    }
}
