package io.vigil.kql.syntax;

/** Kinds of lexical tokens. Words (including contextual keywords) are {@link #IDENTIFIER}. */
public enum TokenKind {
    /** A name or contextual keyword, incl. {@code $left}, {@code $right} and dashed keywords. */
    IDENTIFIER,
    /**
     * A word operator that KQL reserves: {@code and}, {@code or}, the string operators with their
     * {@code !} and {@code _cs} variants, {@code in}, {@code in~}, {@code between}, {@code matches regex}.
     */
    WORD_OPERATOR,
    STRING,
    LONG,
    REAL,
    TIMESPAN,
    BOOLEAN,
    /** {@code datetime(...)}, {@code timespan(...)}, {@code guid(...)}, {@code int(...)} and friends. */
    TYPED_LITERAL,
    PIPE,
    SEMICOLON,
    COMMA,
    DOT,
    DOT_DOT,
    COLON,
    OPEN_PAREN,
    CLOSE_PAREN,
    OPEN_BRACKET,
    CLOSE_BRACKET,
    OPEN_BRACE,
    CLOSE_BRACE,
    EQUAL,
    EQUAL_EQUAL,
    BANG_EQUAL,
    LESS_GREATER,
    EQUAL_TILDE,
    BANG_TILDE,
    LESS,
    LESS_EQUAL,
    GREATER,
    GREATER_EQUAL,
    FAT_ARROW,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    PERCENT,
    BANG,
    QUESTION,
    /** A character KQL does not allow; the lexer reports {@link DiagnosticCode#INVALID_CHARACTER}. */
    ERROR,
    END_OF_FILE
}
