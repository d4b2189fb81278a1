package io.vigil.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** SQL text with {@code ?} placeholders and the values to bind to them, in order. */
public record SqlStatement(String sql, List<Object> parameters) {
    public SqlStatement {
        requireNonNull(sql, "sql is null");
        parameters = List.copyOf(requireNonNull(parameters, "parameters is null"));
    }
}
