package io.vigil.detect.library;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleDiagnostic;
import io.vigil.detect.rule.RuleDocument;
import io.vigil.detect.rule.SentinelRuleReader;
import io.vigil.detect.sigma.SigmaConversion;
import io.vigil.detect.sigma.SigmaConverter;
import io.vigil.detect.sigma.SigmaDocument;
import io.vigil.detect.sigma.SigmaReader;
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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The analytic rules of a workspace, kept in its data folder: {@code rules/<id>.yaml} or {@code .json}, the
 * text as imported (Sentinel rule YAML or an ARM export), and {@code rules/enabled.properties}, whether each
 * is enabled. A rule whose query does not compile is kept disabled with its diagnostics, never half-run.
 */
public final class RuleLibrary {
    private static final String STATE = "enabled.properties";
    /** One lock for every library object of this process: the server and its API each make their own. */
    private static final Object WRITE_LOCK = new Object();

    private final Path folder;

    public RuleLibrary(Path dataDir) {
        this.folder = requireNonNull(dataDir, "dataDir is null").resolve("rules");
    }

    /** One rule of an import, by its name ("-" when it has none): stored (enabled or not), or refused with the reasons. */
    public record Imported(
            String source, String name, Optional<AnalyticRule> rule, boolean enabled, List<String> problems) {
        public Imported {
            requireNonNull(source, "source is null");
            requireNonNull(name, "name is null");
            requireNonNull(rule, "rule is null");
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }
    }

    /**
     * Imports rule files, each recognised by its content: Sigma YAML (a document with a {@code title} and a
     * {@code detection} or {@code correlation}), else Sentinel rule YAML or, when it starts with '{', an ARM
     * template or REST JSON. The Sigma documents of all the files are converted together, so a correlation
     * may refer to a rule in another file. Results are in file order, Sigma rules after the others.
     *
     * @param texts each file's source name and text, in the order to import them
     */
    public List<Imported> importTexts(List<Map.Entry<String, String>> texts, KqlEngine engine, Instant now)
            throws IOException {
        List<Imported> results = new ArrayList<>();
        List<SigmaDocument> sigma = new ArrayList<>();
        for (Map.Entry<String, String> text : texts) {
            String content = text.getValue().replace("\uFEFF", "");
            if (!content.stripLeading().startsWith("{") && SigmaReader.isSigma(content)) {
                sigma.addAll(SigmaReader.read(text.getKey(), content));
            } else {
                results.addAll(importFile(text.getKey(), text.getValue(), engine, now));
            }
        }
        results.addAll(importSigma(sigma, engine, now));
        return results;
    }

    /**
     * Imports Sigma rules as scheduled analytic rules ({@link SigmaAnalyticRules} says how): a rule that does
     * not convert is reported with its reason and not stored. The rules a correlation refers to are parts of
     * it and are not imported on their own, unless the correlation says {@code generate: true} (the Sigma
     * correlation specification).
     */
    public List<Imported> importSigma(List<SigmaDocument> documents, KqlEngine engine, Instant now) throws IOException {
        Set<String> parts = new HashSet<>();
        for (SigmaDocument document : documents) {
            if (document instanceof SigmaDocument.Correlation correlation
                    && !correlation.correlation().generate()) {
                parts.addAll(correlation.correlation().rules());
            }
        }
        List<SigmaConversion> conversions = SigmaConverter.builtIn().convert(documents);
        List<Imported> results = new ArrayList<>();
        for (int index = 0; index < documents.size(); index++) {
            SigmaDocument document = documents.get(index);
            String title = SigmaAnalyticRules.title(document);
            if (document instanceof SigmaDocument.Rule rule
                    && (rule.rule().id().filter(parts::contains).isPresent()
                            || rule.rule().name().filter(parts::contains).isPresent())) {
                continue;
            }
            switch (conversions.get(index)) {
                case SigmaConversion.Failed failed ->
                    results.add(new Imported(
                            failed.source(),
                            title,
                            Optional.empty(),
                            false,
                            failed.errors().stream()
                                    .map(error -> "sigma " + error)
                                    .toList()));
                case SigmaConversion.Converted converted -> {
                    switch (SigmaAnalyticRules.toRestObject(document, converted)) {
                        case SigmaAnalyticRules.Result.Refused refused ->
                            results.add(new Imported(
                                    converted.source(),
                                    title,
                                    Optional.empty(),
                                    false,
                                    List.of("sigma invalid_rule: " + refused.reason())));
                        case SigmaAnalyticRules.Result.Written written -> {
                            for (RuleDocument read : SentinelRuleReader.readArm(converted.source(), written.json())) {
                                switch (read) {
                                    case RuleDocument.Analytic analytic ->
                                        results.add(store(analytic, written.json(), engine, now));
                                    case RuleDocument.Invalid invalid ->
                                        results.add(new Imported(
                                                converted.source(),
                                                title,
                                                Optional.empty(),
                                                false,
                                                invalid.diagnostics().stream()
                                                        .map(Object::toString)
                                                        .toList()));
                                    case RuleDocument.Hunting hunting ->
                                        throw new IllegalStateException("a scheduled rule read as a hunting query");
                                }
                            }
                        }
                    }
                }
            }
        }
        return results;
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
                            hunting.query().name(),
                            Optional.empty(),
                            false,
                            List.of("hunting query (no schedule): not an analytic rule")));
                case RuleDocument.Invalid invalid ->
                    results.add(new Imported(
                            source,
                            invalid.name().orElse("-"),
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
        for (Diagnostic diagnostic : compileErrors(rule, engine, now)) {
            problems.add(diagnostic.toString());
        }
        boolean enabled = rule.enabled() && problems.isEmpty();
        write(rule.id(), text, enabled);
        return new Imported(analytic.source(), rule.name(), Optional.of(rule), enabled, problems);
    }

    private static List<Diagnostic> compileErrors(AnalyticRule rule, KqlEngine engine, Instant now) {
        if (engine.compile(rule.query(), QueryParameters.at(now)) instanceof Compilation.Rejected rejected) {
            return rejected.errors();
        }
        return List.of();
    }

    /**
     * Writes a rule's text and state. The server reads the library on every pass while the API writes it, so
     * the file is replaced atomically, and a rule being disabled is disabled before its new text lands.
     */
    private void write(String ruleId, String text, boolean enabled) throws IOException {
        synchronized (WRITE_LOCK) {
            Files.createDirectories(folder);
            if (!enabled) {
                setEnabled(ruleId, false);
            }
            String extension = extension(text);
            Path target = folder.resolve(fileName(ruleId) + extension);
            Path temporary = folder.resolve(fileName(ruleId) + extension + ".tmp");
            Files.writeString(temporary, text, UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            for (String other : List.of(".yaml", ".json")) {
                if (!other.equals(extension)) {
                    Files.deleteIfExists(folder.resolve(fileName(ruleId) + other));
                }
            }
            setEnabled(ruleId, enabled);
        }
    }

    /** What {@link #put} did: stored the rule (created or replaced), or refused it with every reason. */
    public sealed interface Put {
        record Stored(StoredRule stored, boolean created) implements Put {
            public Stored {
                requireNonNull(stored, "stored is null");
            }
        }

        /** Nothing was stored: the rule's field problems, or else its query's compile errors. */
        record Refused(List<RuleDiagnostic> ruleProblems, List<Diagnostic> queryErrors) implements Put {
            public Refused {
                ruleProblems = List.copyOf(requireNonNull(ruleProblems, "ruleProblems is null"));
                queryErrors = List.copyOf(requireNonNull(queryErrors, "queryErrors is null"));
            }
        }
    }

    /**
     * Creates or replaces one rule from an alertRules REST object ({@code kind} + {@code properties}, named
     * {@code ruleId}), as Sentinel's AlertRules_CreateOrUpdate: unlike an import, a rule whose fields are
     * invalid or whose query does not compile is refused and nothing is stored.
     */
    public Put put(String ruleId, String restJson, KqlEngine engine, Instant now) throws IOException {
        List<RuleDocument> documents = SentinelRuleReader.readArm(ruleId, restJson);
        if (documents.size() != 1) {
            return new Put.Refused(
                    List.of(RuleDiagnostic.error(
                            RuleDiagnostic.Code.INVALID_DOCUMENT, "", "expected one alert rule object")),
                    List.of());
        }
        return switch (documents.get(0)) {
            case RuleDocument.Invalid invalid -> new Put.Refused(invalid.diagnostics(), List.of());
            case RuleDocument.Hunting hunting ->
                new Put.Refused(
                        List.of(RuleDiagnostic.error(RuleDiagnostic.Code.INVALID_DOCUMENT, "", "not an analytic rule")),
                        List.of());
            case RuleDocument.Analytic analytic -> {
                AnalyticRule rule = analytic.rule();
                if (!rule.id().equals(ruleId)) {
                    yield new Put.Refused(
                            List.of(RuleDiagnostic.error(
                                    RuleDiagnostic.Code.INVALID_VALUE,
                                    "name",
                                    "the rule is named '" + rule.id() + "', not '" + ruleId + "'")),
                            List.of());
                }
                List<Diagnostic> errors = compileErrors(rule, engine, now);
                if (!errors.isEmpty()) {
                    yield new Put.Refused(List.of(), errors);
                }
                boolean created;
                synchronized (WRITE_LOCK) {
                    created = byId(ruleId).isEmpty();
                    write(ruleId, restJson, rule.enabled());
                }
                yield new Put.Stored(new StoredRule(rule, rule.enabled()), created);
            }
        };
    }

    /** Removes a rule (its text and state); false when there is no rule of that id. */
    public boolean delete(String ruleId) throws IOException {
        synchronized (WRITE_LOCK) {
            if (byId(ruleId).isEmpty()) {
                return false;
            }
            // disabled first: a pass that reads the library meanwhile does not run a half-deleted rule
            setEnabled(ruleId, false);
            for (String extension : List.of(".yaml", ".json")) {
                Files.deleteIfExists(folder.resolve(fileName(ruleId) + extension));
            }
            Properties state = state();
            state.remove(ruleId);
            writeState(state);
            return true;
        }
    }

    /** When a rule's text was last written (Sentinel's {@code lastModifiedUtc}). */
    public Optional<Instant> lastModified(String ruleId) throws IOException {
        for (String extension : List.of(".yaml", ".json")) {
            Path file = folder.resolve(fileName(ruleId) + extension);
            if (Files.exists(file)) {
                return Optional.of(Files.getLastModifiedTime(file).toInstant());
            }
        }
        return Optional.empty();
    }

    /** A stored rule by its id only. */
    public Optional<StoredRule> byId(String ruleId) throws IOException {
        return rules().stream()
                .filter(stored -> stored.rule().id().equalsIgnoreCase(ruleId))
                .findFirst();
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

    public void setEnabled(String ruleId, boolean enabled) throws IOException {
        synchronized (WRITE_LOCK) {
            Files.createDirectories(folder);
            Properties state = state();
            state.setProperty(ruleId, Boolean.toString(enabled));
            writeState(state);
        }
    }

    private void writeState(Properties state) throws IOException {
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
