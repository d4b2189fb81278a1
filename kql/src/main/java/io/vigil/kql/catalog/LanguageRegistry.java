package io.vigil.kql.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one registry of the KQL language Vigil knows: every function (scalar, aggregate, window, plugin) and tabular
 * operator, bound or known-but-unsupported, with its signature, result type rule, result-column naming rule,
 * one-line description and reference page. It is data ({@code functions.tsv} and {@code operators.tsv} next to
 * this class), read once and validated when loaded. The binder resolves names against it (unknown vs
 * unsupported, aggregate or not, result-column names); the engine's catalog (editor completion), {@code vigil
 * functions} and docs/functions.md are made from it.
 */
public final class LanguageRegistry {
    /** Where the reference pages are; an entry's page is relative to it. */
    public static final String REFERENCE = "https://learn.microsoft.com/kusto/query/";

    private static final Set<String> RESULT_TYPES = Set.of(
            "string",
            "long",
            "int",
            "real",
            "bool",
            "datetime",
            "timespan",
            "dynamic",
            "guid",
            "argument",
            "common",
            "numeric",
            "table",
            "-");

    private static final LanguageRegistry STANDARD =
            new LanguageRegistry(readFunctions(lines("functions.tsv")), readOperators(lines("operators.tsv")));

    private final Map<String, FunctionEntry> functions;
    private final Map<String, OperatorEntry> operators;

    private LanguageRegistry(List<FunctionEntry> functions, List<OperatorEntry> operators) {
        this.functions = byName(functions, FunctionEntry::name);
        this.operators = byName(operators, OperatorEntry::name);
    }

    /** The registry of the built-in language. */
    public static LanguageRegistry standard() {
        return STANDARD;
    }

    /** Every function, sorted by name. */
    public List<FunctionEntry> functions() {
        return List.copyOf(functions.values());
    }

    public Optional<FunctionEntry> function(String name) {
        return Optional.ofNullable(functions.get(requireNonNull(name, "name is null")));
    }

    /** Every tabular operator, sorted by name. */
    public List<OperatorEntry> operators() {
        return List.copyOf(operators.values());
    }

    public Optional<OperatorEntry> operator(String name) {
        return Optional.ofNullable(operators.get(requireNonNull(name, "name is null")));
    }

    /** Whether the name is an aggregate function, bound or not (then it belongs in summarize only). */
    public boolean isAggregate(String name) {
        return function(name)
                .filter(entry -> entry.kind() == FunctionKind.AGGREGATE)
                .isPresent();
    }

    /** The naming rule of a function's unnamed result column; positional for a name the registry lacks. */
    public ResultNaming naming(String name) {
        return function(name).map(FunctionEntry::naming).orElse(new ResultNaming.Positional());
    }

    private static <T> Map<String, T> byName(List<T> entries, java.util.function.Function<T, String> name) {
        List<T> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(name));
        Map<String, T> map = new LinkedHashMap<>();
        for (T entry : sorted) {
            if (map.put(name.apply(entry), entry) != null) {
                throw new IllegalStateException("registry: '" + name.apply(entry) + "' is listed twice");
            }
        }
        return map;
    }

    static List<FunctionEntry> readFunctions(List<String> lines) {
        List<FunctionEntry> entries = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length != 7 && fields.length != 8) {
                throw new IllegalStateException("functions.tsv: expected 7 or 8 fields in '" + line + "'");
            }
            try {
                String name = fields[0];
                FunctionKind kind = FunctionKind.valueOf(fields[1].toUpperCase(Locale.ROOT));
                Support support = Support.valueOf(fields[2].toUpperCase(Locale.ROOT));
                Optional<Signature> signature = Optional.empty();
                if (!fields[3].equals("-")) {
                    signature = Optional.of(Signature.parse(fields[3]));
                }
                if (!RESULT_TYPES.contains(fields[4])) {
                    throw new IllegalArgumentException("unknown result type '" + fields[4] + "'");
                }
                String page = defaultPage(name, kind);
                if (fields.length == 8) {
                    page = fields[7];
                }
                entries.add(new FunctionEntry(
                        name, kind, support, signature, fields[4], ResultNaming.parse(fields[5]), fields[6], page));
            } catch (IllegalArgumentException exception) {
                throw new IllegalStateException("functions.tsv: " + exception.getMessage() + " in '" + line + "'");
            }
        }
        return entries;
    }

    static List<OperatorEntry> readOperators(List<String> lines) {
        List<OperatorEntry> entries = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length != 5 && fields.length != 6) {
                throw new IllegalStateException("operators.tsv: expected 5 or 6 fields in '" + line + "'");
            }
            try {
                Optional<String> example = Optional.empty();
                if (!fields[4].equals("-")) {
                    example = Optional.of(fields[4]);
                }
                String page = fields[0] + "-operator";
                if (fields.length == 6) {
                    page = fields[5];
                }
                entries.add(new OperatorEntry(
                        fields[0],
                        Support.valueOf(fields[1].toUpperCase(Locale.ROOT)),
                        fields[2],
                        fields[3],
                        example,
                        page));
            } catch (IllegalArgumentException exception) {
                throw new IllegalStateException("operators.tsv: " + exception.getMessage() + " in '" + line + "'");
            }
        }
        return entries;
    }

    /** The reference page KQL names a function's page by, as the reference's own table of contents does. */
    private static String defaultPage(String name, FunctionKind kind) {
        String base = name.replace('_', '-');
        return switch (kind) {
            case SCALAR, WINDOW -> base + "-function";
            case AGGREGATE -> base + "-aggregation-function";
            case PLUGIN -> base + "-plugin";
        };
    }

    /** The lines of a resource next to this class, without blank lines and {@code #} comments. */
    private static List<String> lines(String resource) {
        try (InputStream input = LanguageRegistry.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(input, UTF_8));
            return reader.lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
