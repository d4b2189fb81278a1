package io.vigil.app;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.library.RequiredData;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.schedule.Backtest;
import io.vigil.engine.Compilation;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil rules import|list|show|enable|disable|backtest}: the workspace's rule library. */
final class RuleLibraryCommands {
    private RuleLibraryCommands() {}

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import analytic rules from files or folders into the workspace's rule library, each file recognised by"
                        + " its content: Sentinel rule YAML, an ARM/REST JSON export, or Sigma YAML (converted to KQL and"
                        + " imported as a scheduled rule). A rule whose query does not compile is stored disabled; a"
                        + " Sigma rule that does not convert is not imported.",
                "Prints 'FAIL <file>: <rule>: <diagnostic>' per problem, then 'imported N rules: E enabled, D disabled'.",
                "Exit codes: 0 every rule imported enabled, 1 some failed or are disabled, 2 usage or I/O error."
            })
    static final class Import implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Rule files or folders (.yaml, .yml, .json)")
        List<Path> paths;

        @Override
        public Integer call() throws Exception {
            List<Path> files = new ArrayList<>();
            for (Path path : paths) {
                if (Files.isDirectory(path)) {
                    try (Stream<Path> walk = Files.walk(path)) {
                        walk.filter(Files::isRegularFile)
                                .filter(file -> file.toString().matches("(?i).*\\.(ya?ml|json)$"))
                                .sorted()
                                .forEach(files::add);
                    }
                } else if (Files.isRegularFile(path)) {
                    files.add(path);
                } else {
                    System.err.println("vigil: no such file or folder: " + path);
                    return 2;
                }
            }
            int enabled = 0;
            int disabled = 0;
            boolean problems = false;
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                KqlEngine engine = KqlEngine.builder(runtime.store())
                        .clock(runtime.clock())
                        .build();
                RuleLibrary library = new RuleLibrary(data.dataDir);
                List<Map.Entry<String, String>> texts = new ArrayList<>();
                for (Path file : files) {
                    texts.add(Map.entry(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                }
                Map<String, Long> rowCounts = runtime.store().rowCounts();
                Set<String> tables = tableNames(runtime);
                for (RuleLibrary.Imported imported :
                        library.importTexts(texts, engine, runtime.clock().instant())) {
                    for (String problem : imported.problems()) {
                        problems = true;
                        System.out.println("FAIL " + imported.source() + ": " + imported.name() + ": "
                                + problem.replace('\n', ' '));
                    }
                    // a warning, not a failure: the rule is stored and runs once its data arrives
                    for (String warning : imported.rule()
                            .map(rule -> RequiredData.warnings(rule, rowCounts, tables))
                            .orElse(List.of())) {
                        System.out.println("WARN " + imported.source() + ": " + imported.name() + ": " + warning);
                    }
                    if (imported.rule().isPresent()) {
                        if (imported.enabled()) {
                            enabled++;
                        } else {
                            disabled++;
                        }
                    }
                }
            }
            System.out.println(
                    "imported " + (enabled + disabled) + " rules: " + enabled + " enabled, " + disabled + " disabled");
            if (problems || disabled > 0) {
                return 1;
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the library's rules: id, state, kind, severity, name.")
    static final class ListRules implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.listRules(client.get()));
            }
            List<RuleLibrary.StoredRule> rules = new RuleLibrary(data.dataDir).rules();
            Optional<DataWarnings> warnings = DataWarnings.read(data.dataDir, rules);
            for (RuleLibrary.StoredRule stored : rules) {
                AnalyticRule rule = stored.rule();
                // on stderr, so the list stays one tab-separated line per rule
                warnings.ifPresent(found -> found.of(rule)
                        .forEach(warning -> System.err.println("vigil: warning: " + rule.id() + ": " + warning)));
                System.out.println(String.join(
                        "\t",
                        rule.id(),
                        stored.enabled() ? "enabled" : "disabled",
                        rule.kind().sentinelName(),
                        rule.severity().sentinelName(),
                        rule.name()));
            }
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one rule (by id or name) and its query.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "RULE", description = "Rule id or name")
        String rule;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.showRule(client.get(), rule));
            }
            Optional<RuleLibrary.StoredRule> found = new RuleLibrary(data.dataDir).find(rule);
            if (found.isEmpty()) {
                System.err.println("vigil: no rule " + rule);
                return 2;
            }
            AnalyticRule shown = found.get().rule();
            System.out.println("id: " + shown.id());
            System.out.println("name: " + shown.name());
            System.out.println("state: " + (found.get().enabled() ? "enabled" : "disabled"));
            System.out.println("kind: " + shown.kind().sentinelName());
            System.out.println("severity: " + shown.severity().sentinelName());
            System.out.println("queryFrequency: " + shown.queryFrequency());
            System.out.println("queryPeriod: " + shown.queryPeriod());
            System.out.println("trigger: " + shown.triggerOperator().apiName() + " " + shown.triggerThreshold());
            System.out.println("query:");
            System.out.println(shown.query().strip());
            DataWarnings.read(data.dataDir, List.of(found.get()))
                    .ifPresent(warnings ->
                            warnings.of(shown).forEach(warning -> System.out.println("warning: " + warning)));
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a rule (by id or name).")
    static final class Enable implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "RULE", description = "Rule id or name")
        String rule;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(
                        () -> RemoteDetectionCommands.setRuleEnabled(client.get(), rule, true));
            }
            return setEnabled(data.dataDir, rule, true);
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a rule (by id or name).")
    static final class Disable implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "RULE", description = "Rule id or name")
        String rule;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(
                        () -> RemoteDetectionCommands.setRuleEnabled(client.get(), rule, false));
            }
            return setEnabled(data.dataDir, rule, false);
        }
    }

    private static Set<String> tableNames(VigilRuntime runtime) {
        return runtime.store().catalog().tables().stream()
                .map(TableSchema::name)
                .collect(Collectors.toSet());
    }

    /**
     * Row counts for the requiredDataConnectors warnings of {@code rules list|show}. The store is opened only
     * when a rule names connectors; while a server holds the store's lock they cannot be checked, which is said
     * on stderr rather than passed over.
     */
    private record DataWarnings(Map<String, Long> rowCounts, Set<String> tables) {
        static Optional<DataWarnings> read(Path dataDir, List<RuleLibrary.StoredRule> rules) throws IOException {
            if (rules.stream()
                    .allMatch(stored -> stored.rule().requiredDataConnectors().isEmpty())) {
                return Optional.empty();
            }
            try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
                return Optional.of(new DataWarnings(runtime.store().rowCounts(), tableNames(runtime)));
            } catch (VigilException e) {
                System.err.println("vigil: requiredDataConnectors not checked: cannot open the store (" + e.getMessage()
                        + "); is a server running on " + dataDir + "?");
                return Optional.empty();
            }
        }

        List<String> of(AnalyticRule rule) {
            return RequiredData.warnings(rule, rowCounts, tables);
        }
    }

    private static int setEnabled(Path dataDir, String rule, boolean enabled) throws IOException {
        RuleLibrary library = new RuleLibrary(dataDir);
        Optional<RuleLibrary.StoredRule> found = library.find(rule);
        if (found.isEmpty()) {
            System.err.println("vigil: no rule " + rule);
            return 2;
        }
        if (enabled) {
            // as import does, a rule whose query does not compile (any more) stays disabled
            try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
                KqlEngine engine = KqlEngine.builder(runtime.store())
                        .clock(runtime.clock())
                        .build();
                if (engine.compile(
                                found.get().rule().query(),
                                QueryParameters.at(runtime.clock().instant()))
                        instanceof Compilation.Rejected rejected) {
                    System.err.println("vigil: the query of "
                            + found.get().rule().name() + " does not compile, so it stays disabled:");
                    rejected.errors().forEach(error -> System.err.println("  " + error));
                    return 1;
                }
            }
        }
        library.setEnabled(found.get().rule().id(), enabled);
        System.out.println(
                (enabled ? "enabled " : "disabled ") + found.get().rule().name());
        return 0;
    }

    @Command(
            name = "backtest",
            mixinStandardHelpOptions = true,
            description = {
                "Replay a rule over stored history window by window, as the scheduler would have, without writing"
                        + " alerts. Prints 'window <end>: N alerts' and the first alerts per window that alerted,"
                        + " then 'backtest: W windows alerted, A alerts'."
            })
    static final class BacktestRule implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(paramLabel = "RULE", description = "Rule id or name in the library, or a rule file")
        String rule;

        @Option(names = "--from", required = true, paramLabel = "T1", description = "ISO-8601 UTC start")
        String from;

        @Option(names = "--to", required = true, paramLabel = "T2", description = "ISO-8601 UTC end")
        String to;

        @Override
        public Integer call() throws Exception {
            Instant start;
            Instant end;
            try {
                start = Instant.parse(from);
                end = Instant.parse(to);
            } catch (DateTimeParseException exception) {
                System.err.println("vigil: --from and --to take ISO-8601 UTC times such as 2026-12-05T00:00:00Z");
                return 2;
            }
            Optional<AnalyticRule> found =
                    new RuleLibrary(data.dataDir).find(rule).map(RuleLibrary.StoredRule::rule);
            if (found.isEmpty()) {
                System.err.println("vigil: no rule " + rule + " in the library");
                return 2;
            }
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                KqlEngine engine = KqlEngine.builder(runtime.store())
                        .clock(runtime.clock())
                        .build();
                List<Backtest.WindowAlerts> windows =
                        Backtest.run(engine, QueryLimits.DEFAULT, found.get(), start, end);
                int alerts = 0;
                for (Backtest.WindowAlerts window : windows) {
                    alerts += window.alerts().size();
                    System.out.println("window " + window.windowEnd() + ": "
                            + window.alerts().size() + " alerts");
                    for (Alert alert : window.alerts().stream().limit(3).toList()) {
                        System.out.println("  " + alert.severity().sentinelName() + " " + alert.alertName() + " "
                                + alert.startTime() + ".." + alert.endTime()
                                + alert.compromisedEntity()
                                        .map(entity -> " " + entity)
                                        .orElse(""));
                    }
                }
                System.out.println("backtest: " + windows.size() + " windows alerted, " + alerts + " alerts");
            }
            return 0;
        }
    }
}
