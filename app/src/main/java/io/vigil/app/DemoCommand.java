package io.vigil.app;

import io.vigil.app.ui.UiAssets;
import io.vigil.detect.alert.Alert;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.library.BuiltinPack;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.schedule.RuleScheduler;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.generator.DemoGenerator;
import io.vigil.generator.GenerationSummary;
import io.vigil.generator.GeneratorOptions;
import io.vigil.ingest.ImportSummary;
import io.vigil.ingest.InputFiles;
import io.vigil.store.DuckDbResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Generate a day of demo logs with an attack story, load it, and run the server.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Mixin
    ConfigOption config;

    @Mixin
    ServerFlags server;

    @Option(names = "--load-only", description = "Load the demo data, print the tables, and exit")
    boolean loadOnly;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed of the generated day. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(
            names = "--scale",
            defaultValue = "1.0",
            description = "Multiplier of background volume. Default: ${DEFAULT-VALUE}")
    double scale;

    @Override
    public Integer call() throws Exception {
        // flags are checked before the workspace is opened and the demo day is loaded
        ServeOptions serving = server.options();
        Optional<Path> geoIpDatabase = server.geoIp.database();
        DuckDbResources resources = server.store.resources();
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir, geoIpDatabase, resources)) {
            load(runtime, data.dataDir, GeneratorOptions.DEFAULT_HOURS, seed, scale);
            if (loadOnly) {
                return 0;
            }
            printQueriesToTry(runtime, serving.tls().isPresent(), serving.bind(), serving.port());
            ServerCommand.serve(runtime, serving);
        }
        return 0;
    }

    /**
     * What {@code vigil demo} does before it serves: generates the demo day into the data folder (unless it
     * is there already), imports it, prints the tables, and runs the built-in pack over it.
     */
    static PackRun load(VigilRuntime runtime, Path dataDir, int hours, long seed, double scale) throws Exception {
        Path logs = dataDir.resolve(InputFiles.DEMO_LOGS);
        if (!Files.isDirectory(logs)) {
            GeneratorOptions options =
                    new GeneratorOptions(GenerateCommand.defaultEnd(Clock.systemUTC()), hours, seed, scale);
            GenerationSummary generated = DemoGenerator.generate(logs, options);
            GenerateCommand.print(generated, logs);
        } else {
            System.out.println("demo logs already generated in " + logs + " (delete the folder for a fresh day)");
        }
        ImportSummary summary =
                ImportCommand.importPaths(runtime, List.of(logs), Optional.empty(), false, System.console() != null);
        System.out.print(summary.render());
        System.out.println("tables:");
        runtime.store().rowCounts().forEach((table, rows) -> {
            if (rows > 0) {
                System.out.println("  " + table + " " + rows);
            }
        });
        return runBuiltinPack(runtime, dataDir, hours);
    }

    /** The alerts and incidents one run of the built-in pack raised (new ones only). */
    record PackRun(List<Alert> alerts, List<Incident> incidents) {
        PackRun {
            alerts = List.copyOf(alerts);
            incidents = List.copyOf(incidents);
        }
    }

    /**
     * Imports the built-in pack and runs its scheduled rules over the demo day of {@code hours}, writing alerts
     * and incidents: a first pass at the day's start gives each rule its state, the second catches up every
     * window since.
     * Rule state is persisted, so a second run on the same data raises nothing new.
     */
    static PackRun runBuiltinPack(VigilRuntime runtime, Path dataDir, int hours) throws Exception {
        KqlEngine engine =
                KqlEngine.builder(runtime.store()).clock(runtime.clock()).build();
        RuleLibrary library = new RuleLibrary(dataDir);
        Instant now = runtime.clock().instant();
        BuiltinPack.importInto(library, engine, now);
        List<AnalyticRule> rules = library.enabledRules();
        Instant dayStart = now.minus(Duration.ofHours(hours + 1));
        List<RuleScheduler.Pass> passes = new ArrayList<>();
        for (Clock clock : List.of(Clock.fixed(dayStart, ZoneOffset.UTC), runtime.clock())) {
            passes.add(new RuleScheduler(runtime.store(), engine, clock, QueryLimits.DEFAULT).runDue(rules));
        }
        List<Alert> alerts = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        for (RuleScheduler.Pass pass : passes) {
            for (Alert alert : pass.alerts()) {
                alerts.add(alert);
                System.out.println("alert " + alert.severity() + " \"" + alert.alertName() + "\" " + alert.startTime()
                        + " entities: " + alert.entities());
            }
            for (Incident incident : pass.incidents()) {
                incidents.add(incident);
                System.out.println("incident " + incident.number() + " " + incident.severity() + " \""
                        + incident.title() + "\" " + incident.status());
            }
        }
        System.out.println(alerts.size() + " alerts, " + incidents.size() + " incidents");
        return new PackRun(alerts, incidents);
    }

    /** KQL that finds the steps of the demo's attack story (docs/demo.md), as curl calls of the query API. */
    static final List<String> STORY_QUERIES = List.of(
            "SigninLogs | where ResultType == \"50126\" | summarize Failures = count(), Users = dcount(UserPrincipalName)"
                    + " by IPAddress | top 5 by Failures",
            "SigninLogs | where RiskLevelDuringSignIn == \"high\" and ResultType == \"0\""
                    + " | project TimeGenerated, UserPrincipalName, IPAddress, Location",
            "AzureActivity | where OperationNameValue has \"roleAssignments/write\""
                    + " | project TimeGenerated, Caller, CallerIpAddress",
            "AzureActivity | where OperationNameValue has \"securityRules/write\" | project TimeGenerated, Caller, _ResourceId",
            "StorageBlobLogs | where OperationName == \"GetBlob\" | summarize Downloads = count() by RequesterObjectId"
                    + " | top 3 by Downloads",
            "SecurityEvent | where EventID == 4697 | project TimeGenerated, Computer, ServiceName, ServiceFileName");

    private static void printQueriesToTry(VigilRuntime runtime, boolean https, String bind, int port) {
        String scheme = "http";
        if (https) {
            scheme = "https";
        }
        String endpoint = scheme + "://" + bind + ":" + port + "/v1/workspaces/"
                + runtime.workspace().workspaceId() + "/query";
        Path key = runtime.workspace().secretsDir().resolve("admin.key");
        System.out.println();
        System.out.println("Open the web UI at " + scheme + "://" + bind + ":" + port + UiAssets.PREFIX
                + " and sign in with the admin API key in " + key + ".");
        System.out.println();
        System.out.println("KQL to try (the attack story in docs/demo.md), once the server below is up:");
        for (String query : STORY_QUERIES) {
            System.out.println("  curl -s -H \"Authorization: Bearer $(cat " + key + ")\" \\");
            System.out.println("    --data-urlencode 'query=" + query + "' -G " + endpoint);
        }
    }
}
