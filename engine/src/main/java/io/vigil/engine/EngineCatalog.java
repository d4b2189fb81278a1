package io.vigil.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a query can name, for completion in editors and for documentation: the source's tables with their
 * columns, and the functions and tabular operators the engine binds. The function and operator lists are
 * data ({@code functions.tsv}, {@code operators.tsv} next to this class), checked against the binder by the
 * engine's tests, so that a name listed here is one a query can use.
 */
public final class EngineCatalog {
    private static final List<Function> FUNCTIONS = loadFunctions();
    private static final List<Operator> OPERATORS = loadOperators();

    private final QuerySource source;

    EngineCatalog(QuerySource source) {
        this.source = requireNonNull(source, "source is null");
    }

    /** The kinds of function a query can call. */
    public enum FunctionKind {
        /** Called on values of a row: {@code tolower(x)}. */
        SCALAR,
        /** Called in {@code summarize} over groups of rows: {@code count()}. */
        AGGREGATE,
        /** Called with {@code evaluate}: {@code bag_unpack}, {@code pivot}, {@code narrow}, {@code ipv4_lookup}. */
        PLUGIN
    }

    /** A function by the name a query calls it. */
    public record Function(String name, FunctionKind kind) {
        public Function {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
        }
    }

    /** A tabular operator by the name a query writes it, with a short query that uses it. */
    public record Operator(String name, String example) {
        public Operator {
            requireNonNull(name, "name is null");
            requireNonNull(example, "example is null");
        }
    }

    /** The tables of the source with their visible columns, by name. */
    public List<TableSchema> tables() {
        List<TableSchema> tables = new ArrayList<>();
        for (StoredTable table : source.storedTables()) {
            tables.add(table.schema());
        }
        tables.sort((left, right) -> left.name().compareTo(right.name()));
        return tables;
    }

    public Optional<TableSchema> table(String name) {
        return tables().stream().filter(table -> table.name().equals(name)).findFirst();
    }

    /** Every function the engine binds, by kind and name. */
    public List<Function> functions() {
        return FUNCTIONS;
    }

    /** Every tabular operator the engine binds ({@code where}, {@code summarize}, {@code mv-expand}…), by name. */
    public List<Operator> operators() {
        return OPERATORS;
    }

    private static List<Function> loadFunctions() {
        List<Function> functions = new ArrayList<>();
        for (String line : lines("functions.tsv")) {
            String[] fields = line.split("\t");
            if (fields.length != 2) {
                throw new IllegalStateException("functions.tsv: expected name and kind in '" + line + "'");
            }
            functions.add(new Function(fields[0], FunctionKind.valueOf(fields[1].toUpperCase(Locale.ROOT))));
        }
        functions.sort((left, right) -> {
            int byKind = left.kind().compareTo(right.kind());
            if (byKind != 0) {
                return byKind;
            }
            return left.name().compareTo(right.name());
        });
        return List.copyOf(functions);
    }

    private static List<Operator> loadOperators() {
        List<Operator> operators = new ArrayList<>();
        for (String line : lines("operators.tsv")) {
            String[] fields = line.split("\t", 2);
            if (fields.length != 2) {
                throw new IllegalStateException("operators.tsv: expected name and example in '" + line + "'");
            }
            operators.add(new Operator(fields[0], fields[1]));
        }
        operators.sort((left, right) -> left.name().compareTo(right.name()));
        return List.copyOf(operators);
    }

    /** The lines of a resource next to this class, without blank lines and {@code #} comments. */
    private static List<String> lines(String resource) {
        try (InputStream input = EngineCatalog.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(input, UTF_8));
            return reader.lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }
}
