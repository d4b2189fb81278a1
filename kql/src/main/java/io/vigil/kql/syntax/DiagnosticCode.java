package io.vigil.kql.syntax;

import java.util.Locale;

/**
 * Stable codes of the syntax layer. Codes never change meaning once published; new problems get new
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
    NESTING_TOO_DEEP("KQL111", Severity.ERROR, "Expression nesting is too deep");

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
