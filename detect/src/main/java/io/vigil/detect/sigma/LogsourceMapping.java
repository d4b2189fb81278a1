package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where one Sigma logsource lives in Vigil: a table, a predicate selecting its events, and how Sigma
 * field names become KQL (declared in {@code logsources.yaml}; see there for each part's meaning).
 */
public record LogsourceMapping(
        String name,
        Optional<String> product,
        Optional<String> category,
        Optional<String> service,
        String table,
        Optional<String> filter,
        Map<String, FieldTarget> fields,
        Map<String, String> unmappable,
        List<String> objectColumns,
        Optional<String> eventData,
        Optional<String> keyValues,
        Optional<String> keywords) {
    public LogsourceMapping {
        requireNonNull(name, "name is null");
        requireNonNull(product, "product is null");
        requireNonNull(category, "category is null");
        requireNonNull(service, "service is null");
        requireNonNull(table, "table is null");
        requireNonNull(filter, "filter is null");
        fields = Map.copyOf(requireNonNull(fields, "fields is null"));
        unmappable = Map.copyOf(requireNonNull(unmappable, "unmappable is null"));
        objectColumns = List.copyOf(requireNonNull(objectColumns, "objectColumns is null"));
        requireNonNull(eventData, "eventData is null");
        requireNonNull(keyValues, "keyValues is null");
        requireNonNull(keywords, "keywords is null");
    }

    /** How many of product, category and service this mapping names: the most specific match wins. */
    int specificity() {
        return (product.isPresent() ? 1 : 0) + (category.isPresent() ? 1 : 0) + (service.isPresent() ? 1 : 0);
    }

    boolean matches(SigmaRule.Logsource logsource) {
        return same(product, logsource.product())
                && same(category, logsource.category())
                && same(service, logsource.service());
    }

    private static boolean same(Optional<String> wanted, Optional<String> actual) {
        return wanted.isEmpty()
                || actual.map(value -> value.equalsIgnoreCase(wanted.get())).orElse(false);
    }

    /** What a Sigma field becomes. */
    public sealed interface FieldTarget {
        /** A column; {@code term} when it holds a list whose elements are matched by term ({@code has}). */
        record ColumnTarget(String column, boolean term) implements FieldTarget {
            public ColumnTarget {
                requireNonNull(column, "column is null");
            }
        }

        /** A KQL expression of string type. */
        record ExpressionTarget(String expression) implements FieldTarget {
            public ExpressionTarget {
                requireNonNull(expression, "expression is null");
            }
        }
    }
}
