package io.vigil.detect.library;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.engine.Compilation;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryParameters;
import io.vigil.kql.syntax.Diagnostic;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The analytic rules of a workspace, kept in its data folder: {@code rules/<id>.yaml} or {@code .json}, the
 * text as imported (Sentinel rule YAML or an ARM export), and {@code rules/enabled.properties}, whether each
 * is enabled. A rule whose query does not compile is kept disabled with its diagnostics, never half-run.
 */
public final class RuleLibrary {
    private static final String STATE = "enabled.properties";

    private final Path folder;

    public RuleLibrary(Path dataDir) {
        this.folder = requireNonNull(dataDir, "dataDir is null").resolve("rules");
    }

    /** One rule of an import: stored (enabled or not), or refused with the reasons. */
    public record Imported(String source, Optional<AnalyticRule> rule, boolean enabled, List<String> problems) {
        public Imported {
            requireNonNull(source, "source is null");
            requireNonNull(rule, "rule is null");
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }
    }

    /**
     * Imports the rules of one file (YAML, or JSON when it starts with '{'): each analytic rule whose query
     * compiles on {@code engine} is stored enabled (unless the export says disabled), one that does not is
     * stored disabled with its KQL diagnostics; hunting queries and invalid documents are reported.
     */
    public List<Imported> importFile(String source, String text, KqlEngine engine, Instant now) throws IOException {
        List<Imported> results = new ArrayList<>();
        for (RuleDocument document : SentinelRuleReader.read(source, text)) {
            switch (document) {
                case RuleDocument.Analytic analytic -> results.add(store(analytic, text, engine, now));
                case RuleDocument.Hunting hunting ->
                    results.add(new Imported(
                            source,
                            Optional.empty(),
                            false,
                            List.of("hunting query (no schedule): not an analytic rule")));
                case RuleDocument.Invalid invalid ->
                    results.add(new Imported(
                            source,
                            Optional.empty(),
                            false,
                            invalid.diagnostics().stream().map(Object::toString).toList()));
            }
        }
        return results;
    }

    private Imported store(RuleDocument.Analytic analytic, String text, KqlEngine engine, Instant now)
            throws IOException {
        AnalyticRule rule = analytic.rule();
        List<String> problems = new ArrayList<>();
        if (engine.compile(rule.query(), QueryParameters.at(now)) instanceof Compilation.Rejected rejected) {
            for (Diagnostic diagnostic : rejected.errors()) {
                problems.add(diagnostic.toString());
            }
        }
        boolean enabled = rule.enabled() && problems.isEmpty();
        Files.createDirectories(folder);
        String extension = extension(text);
        for (String other : List.of(".yaml", ".json")) {
            Files.deleteIfExists(folder.resolve(fileName(rule.id()) + other));
        }
        Files.writeString(folder.resolve(fileName(rule.id()) + extension), text, UTF_8);
        setEnabled(rule.id(), enabled);
        return new Imported(analytic.source(), Optional.of(rule), enabled, problems);
    }

    /** A stored rule and whether it is enabled. */
    public record StoredRule(AnalyticRule rule, boolean enabled) {
        public StoredRule {
            requireNonNull(rule, "rule is null");
        }
    }

    /** Every stored rule, by id. */
    public List<StoredRule> rules() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        Properties state = state();
        TreeMap<String, StoredRule> rules = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".yaml") && !name.endsWith(".json")) {
                    continue;
                }
                String id = name.substring(0, name.length() - 5);
                for (RuleDocument document : SentinelRuleReader.read(name, Files.readString(file, UTF_8))) {
                    if (document instanceof RuleDocument.Analytic analytic
                            && fileName(analytic.rule().id()).equals(id)) {
                        boolean enabled = Boolean.parseBoolean(
                                state.getProperty(analytic.rule().id(), "false"));
                        rules.put(analytic.rule().id(), new StoredRule(analytic.rule(), enabled));
                    }
                }
            }
        }
        return List.copyOf(rules.values());
    }

    /** The enabled rules, what the server runs. */
    public List<AnalyticRule> enabledRules() throws IOException {
        return rules().stream()
                .filter(StoredRule::enabled)
                .map(StoredRule::rule)
                .toList();
    }

    /** A stored rule by its id or, when no id matches, its exact name. */
    public Optional<StoredRule> find(String idOrName) throws IOException {
        List<StoredRule> rules = rules();
        return rules.stream()
                .filter(stored -> stored.rule().id().equalsIgnoreCase(idOrName))
                .findFirst()
                .or(() -> rules.stream()
                        .filter(stored -> stored.rule().name().equals(idOrName))
                        .findFirst());
    }

    public synchronized void setEnabled(String ruleId, boolean enabled) throws IOException {
        Files.createDirectories(folder);
        Properties state = state();
        state.setProperty(ruleId, Boolean.toString(enabled));
        Path file = folder.resolve(STATE);
        Path temporary = folder.resolve(STATE + ".tmp");
        StringBuilder text = new StringBuilder();
        // sorted, so the file reads the same after every change
        new TreeMap<>(state)
                .forEach(
                        (id, value) -> text.append(id).append('=').append(value).append('\n'));
        Files.writeString(temporary, text, UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Properties state() throws IOException {
        Properties state = new Properties();
        Path file = folder.resolve(STATE);
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
                state.load(reader);
            }
        }
        return state;
    }

    private static String extension(String text) {
        if (text.replace("\uFEFF", "").stripLeading().startsWith("{")) {
            return ".json";
        }
        return ".yaml";
    }

    /** Rule ids are GUIDs in Sentinel; anything else is reduced to a safe file name. */
    private static String fileName(String id) {
        return id.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_");
    }
}
