package io.vigil.kql.syntax;

import java.util.Locale;

/**
 * Stable codes of the front end: KQL1xx from the parser, KQL2xx from the binder (KQL25x: valid KQL
 * that Vigil does not run yet). Codes never change meaning once published; new problems get new
 * numbers. The message template takes {@link String#format} arguments.
 */
public enum DiagnosticCode {
    UNEXPECTED_TOKEN("KQL101", Severity.ERROR, "Unexpected token '%s'"),
    MISSING_EXPRESSION("KQL102", Severity.ERROR, "Expected an expression"),
    UNTERMINATED_STRING("KQL103", Severity.ERROR, "Unterminated string literal"),
    UNKNOWN_QUERY_OPERATOR("KQL104", Severity.ERROR, "Unknown query operator '%s'"),
    INVALID_CHARACTER("KQL105", Severity.ERROR, "Invalid character '%s'"),
    MISSING_TOKEN("KQL106", Severity.ERROR, "Expected '%s'"),
    MISSING_NAME("KQL107", Severity.ERROR, "Expected a name"),
    MISSING_QUERY_OPERATOR("KQL108", Severity.ERROR, "Expected a query operator after '|'"),
    MISSING_TYPE("KQL109", Severity.ERROR, "Expected a type name"),
    INVALID_LITERAL("KQL110", Severity.ERROR, "Invalid %s literal"),
    NESTING_TOO_DEEP("KQL111", Severity.ERROR, "Expression nesting is too deep"),
    UNKNOWN_TABLE("KQL201", Severity.ERROR, "Unknown table or tabular variable '%s'"),
    UNKNOWN_COLUMN("KQL202", Severity.ERROR, "Unknown column or variable '%s'"),
    UNKNOWN_FUNCTION("KQL203", Severity.ERROR, "Unknown function '%s'"),
    WRONG_ARGUMENT_COUNT("KQL204", Severity.ERROR, "Function '%s' takes %s arguments, got %d"),
    TYPE_MISMATCH("KQL205", Severity.ERROR, "%s"),
    EXPECTED_SCALAR("KQL206", Severity.ERROR, "Expected a scalar expression"),
    EXPECTED_TABULAR("KQL207", Severity.ERROR, "Expected a tabular expression"),
    EXPECTED_CONSTANT("KQL208", Severity.ERROR, "Expected a constant %s"),
    AGGREGATE_OUTSIDE_SUMMARIZE("KQL209", Severity.ERROR, "Aggregate function '%s' is only allowed in summarize"),
    EXPECTED_AGGREGATE("KQL210", Severity.ERROR, "Expected an aggregate function call"),
    NO_QUERY("KQL211", Severity.ERROR, "The query has no tabular expression statement"),
    INVALID_JOIN_CONDITION("KQL212", Severity.ERROR, "Invalid join condition: %s"),
    INVALID_VALUE("KQL213", Severity.ERROR, "Invalid %s value '%s'"),
    /** prev(), next(), row_number()...: the rows need an order (window-functions, serialize-operator). */
    NOT_SERIALIZED(
            "KQL214",
            Severity.ERROR,
            "Function '%s' needs serialized rows: put sort, order by, top or serialize before this operator"),
    /** bag_unpack with columnsConflict='error' (its default) meets a slot named like an input column. */
    COLUMN_CONFLICT(
            "KQL215",
            Severity.ERROR,
            "Column '%s' is already in the input: pass columnsConflict='replace_source' or 'keep_source'"),
    /** union isfuzzy=true left out a leg that does not resolve (union-operator). */
    FUZZY_LEG_DROPPED("KQL216", Severity.WARNING, "union isfuzzy=true left out a leg that does not resolve: %s"),
    /**
     * The caller's key has no read grant for a table the query names (table-level read access, like Log
     * Analytics' table-level RBAC). The query API answers it with 403 InsufficientAccessError.
     */
    TABLE_ACCESS_DENIED("KQL217", Severity.ERROR, "The caller has no read access to table '%s'"),
    UNSUPPORTED_OPERATOR("KQL250", Severity.ERROR, "Unsupported operator '%s'"),
    /**
     * A query that compiled but failed on a value while it ran: an invalid regular expression or JSON path, a
     * conversion that cannot be done, a number out of range. The query as a whole is the span.
     */
    RUNTIME_VALUE_ERROR("KQL301", Severity.ERROR, "%s"),
    UNSUPPORTED_FUNCTION("KQL251", Severity.ERROR, "Unsupported function '%s'"),
    UNSUPPORTED_FEATURE("KQL252", Severity.ERROR, "Unsupported: %s"),
    /** externaldata and similar: Vigil never fetches URLs named in a query. */
    NO_OUTBOUND_NETWORK(
            "KQL253",
            Severity.ERROR,
            "Not supported: '%s' reads from a URL, and Vigil opens no outbound network connections");

    private final String code;
    private final Severity severity;
    private final String template;

    DiagnosticCode(String code, Severity severity, String template) {
        this.code = code;
        this.severity = severity;
        this.template = template;
    }

    public String code() {
        return code;
    }

    public Severity severity() {
        return severity;
    }

    public String template() {
        return template;
    }

    public String format(Object... arguments) {
        return String.format(Locale.ROOT, template, arguments);
    }
}
