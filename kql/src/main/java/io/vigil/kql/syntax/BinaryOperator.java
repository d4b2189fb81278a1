package io.vigil.kql.syntax;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Binary operators with their KQL spelling and precedence (higher binds tighter). Equality, the string
 * operators, {@code in} and {@code between} share one level above the relational operators, as in the
 * reference grammar (Kusto-Query-Language grammar/Kql.g4, equalityExpression over relationalExpression).
 * source: https://learn.microsoft.com/kusto/query/datatypes-string-operators
 */
public enum BinaryOperator {
    OR("or", 1),
    AND("and", 2),
    EQUAL("==", 3),
    NOT_EQUAL("!=", 3),
    LESS_GREATER("<>", 3),
    EQUAL_CASE_INSENSITIVE("=~", 3),
    NOT_EQUAL_CASE_INSENSITIVE("!~", 3),
    HAS("has", 3),
    NOT_HAS("!has", 3),
    HAS_CS("has_cs", 3),
    NOT_HAS_CS("!has_cs", 3),
    HAS_PREFIX("hasprefix", 3),
    NOT_HAS_PREFIX("!hasprefix", 3),
    HAS_PREFIX_CS("hasprefix_cs", 3),
    NOT_HAS_PREFIX_CS("!hasprefix_cs", 3),
    HAS_SUFFIX("hassuffix", 3),
    NOT_HAS_SUFFIX("!hassuffix", 3),
    HAS_SUFFIX_CS("hassuffix_cs", 3),
    NOT_HAS_SUFFIX_CS("!hassuffix_cs", 3),
    CONTAINS("contains", 3),
    NOT_CONTAINS("!contains", 3),
    CONTAINS_CS("contains_cs", 3),
    NOT_CONTAINS_CS("!contains_cs", 3),
    STARTS_WITH("startswith", 3),
    NOT_STARTS_WITH("!startswith", 3),
    STARTS_WITH_CS("startswith_cs", 3),
    NOT_STARTS_WITH_CS("!startswith_cs", 3),
    ENDS_WITH("endswith", 3),
    NOT_ENDS_WITH("!endswith", 3),
    ENDS_WITH_CS("endswith_cs", 3),
    NOT_ENDS_WITH_CS("!endswith_cs", 3),
    MATCHES_REGEX("matches regex", 3),
    LESS("<", 4),
    LESS_EQUAL("<=", 4),
    GREATER(">", 4),
    GREATER_EQUAL(">=", 4),
    ADD("+", 5),
    SUBTRACT("-", 5),
    MULTIPLY("*", 6),
    DIVIDE("/", 6),
    MODULO("%", 6);

    /** Precedence of {@code in}, {@code between} and the other equality-level operators. */
    public static final int EQUALITY_PRECEDENCE = 3;

    private static final Map<String, BinaryOperator> BY_TEXT = new HashMap<>();

    static {
        for (BinaryOperator operator : values()) {
            BY_TEXT.put(operator.text, operator);
        }
        // legacy spellings (Kusto-Query-Language SyntaxFacts)
        BY_TEXT.put("containscs", CONTAINS_CS);
        BY_TEXT.put("!containscs", NOT_CONTAINS_CS);
        BY_TEXT.put("notcontains", NOT_CONTAINS);
        BY_TEXT.put("notcontainscs", NOT_CONTAINS_CS);
    }

    private final String text;
    private final int precedence;

    BinaryOperator(String text, int precedence) {
        this.text = text;
        this.precedence = precedence;
    }

    public String text() {
        return text;
    }

    public int precedence() {
        return precedence;
    }

    /** The operator for a spelling, including legacy aliases that print back in the canonical form. */
    public static Optional<BinaryOperator> fromText(String text) {
        return Optional.ofNullable(BY_TEXT.get(text));
    }
}
