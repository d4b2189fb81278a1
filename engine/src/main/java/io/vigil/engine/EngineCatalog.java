package io.vigil.engine;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.catalog.FunctionEntry;
import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.catalog.OperatorEntry;
import io.vigil.spi.QuerySource;
import io.vigil.spi.StoredTable;
import io.vigil.spi.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a query can name, for completion in editors and for documentation: the source's tables with their
 * columns, and the functions and tabular operators the engine binds, read from the language registry in
 * {@code kql} ({@link LanguageRegistry}), whose tests bind every entry it calls bound.
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
        /** Called on serialized rows, reading their neighbours: {@code prev(x)}, {@code row_number()}. */
        WINDOW,
        /** Called with {@code evaluate}: {@code bag_unpack}, {@code pivot}, {@code narrow}, {@code ipv4_lookup}. */
        PLUGIN
    }

    /** A function by the name a query calls it, with its signature and a one-line description. */
    public record Function(String name, FunctionKind kind, String signature, String description) {
        public Function {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(signature, "signature is null");
            requireNonNull(description, "description is null");
        }
    }

    /** A tabular operator by the name a query writes it, with a short query that uses it. */
    public record Operator(String name, String example, String syntax, String description) {
        public Operator {
            requireNonNull(name, "name is null");
            requireNonNull(example, "example is null");
            requireNonNull(syntax, "syntax is null");
            requireNonNull(description, "description is null");
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
        for (FunctionEntry entry : LanguageRegistry.standard().functions()) {
            if (entry.bound()) {
                functions.add(
                        new Function(entry.name(), kind(entry.kind()), entry.signatureText(), entry.description()));
            }
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

    private static FunctionKind kind(io.vigil.kql.catalog.FunctionKind kind) {
        return switch (kind) {
            case SCALAR -> FunctionKind.SCALAR;
            case AGGREGATE -> FunctionKind.AGGREGATE;
            case WINDOW -> FunctionKind.WINDOW;
            case PLUGIN -> FunctionKind.PLUGIN;
        };
    }

    private static List<Operator> loadOperators() {
        List<Operator> operators = new ArrayList<>();
        for (OperatorEntry entry : LanguageRegistry.standard().operators()) {
            if (entry.bound()) {
                operators.add(
                        new Operator(entry.name(), entry.example().orElseThrow(), entry.syntax(), entry.description()));
            }
        }
        return List.copyOf(operators);
    }
}
