package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns KQL text into tokens. Never throws: characters KQL does not allow become {@link
 * TokenKind#ERROR} tokens and unterminated strings end at the line end, each with a diagnostic.
 *
 * <p>Lexical rules follow "Kusto Query Language syntax" and the literal pages of the KQL reference
 * (https://learn.microsoft.com/kusto/query/scalar-data-types/string, .../timespan, .../datetime).
 */
public final class KqlLexer {
    /** The tokens, always ending with {@link TokenKind#END_OF_FILE}, and the lexical diagnostics. */
    public record Result(List<Token> tokens, List<Diagnostic> diagnostics) {
        public Result {
            tokens = List.copyOf(requireNonNull(tokens, "tokens is null"));
            diagnostics = List.copyOf(requireNonNull(diagnostics, "diagnostics is null"));
        }
    }

    /** Operator words that KQL reserves; the {@code !} forms are negations (string operators page). */
    private static final Set<String> NEGATABLE_WORD_OPERATORS = Set.of(
            "has",
            "has_cs",
            "hasprefix",
            "hasprefix_cs",
            "hassuffix",
            "hassuffix_cs",
            "contains",
            "contains_cs",
            "startswith",
            "startswith_cs",
            "endswith",
            "endswith_cs",
            "in",
            "in~",
            "between",
            "has_any",
            "has_all");

    /**
     * {@code and}, {@code or} and legacy spellings the reference parser still accepts
     * (Kusto-Query-Language SyntaxFacts: containscs, notcontains, notcontainscs, notbetween).
     */
    private static final Set<String> PLAIN_WORD_OPERATORS =
            Set.of("and", "or", "containscs", "notcontains", "notcontainscs", "notbetween");

    /**
     * Operator keywords spelled with a dash; a dash elsewhere is subtraction, so only these merge.
     * source: https://learn.microsoft.com/kusto/query/queries (tabular operators list)
     */
    private static final Set<String> DASHED_KEYWORDS = Set.of(
            "project-away",
            "project-keep",
            "project-rename",
            "project-reorder",
            "project-smart",
            "mv-expand",
            "mv-apply",
            "make-series",
            "top-nested",
            "top-hitters",
            "parse-where",
            "parse-kv",
            "sample-distinct",
            "execute-and-cache",
            "make-graph",
            "graph-match",
            "graph-merge",
            "graph-to-table");

    /** Words that open a typed literal when followed by a parenthesis: {@code datetime(2020-01-01)}. */
    static final Map<String, String> TYPED_LITERAL_PREFIXES = Map.ofEntries(
            Map.entry("datetime", "datetime"),
            Map.entry("date", "datetime"),
            Map.entry("timespan", "timespan"),
            Map.entry("time", "timespan"),
            Map.entry("guid", "guid"),
            Map.entry("uniqueid", "guid"),
            Map.entry("int", "int"),
            Map.entry("long", "long"),
            Map.entry("real", "real"),
            Map.entry("double", "real"),
            Map.entry("decimal", "decimal"),
            Map.entry("bool", "bool"),
            Map.entry("boolean", "bool"));

    /** source: https://learn.microsoft.com/kusto/query/scalar-data-types/timespan (literal suffixes) */
    private static final Set<String> TIMESPAN_UNITS = Set.of(
            "d",
            "day",
            "days",
            "h",
            "hr",
            "hrs",
            "hour",
            "hours",
            "m",
            "min",
            "minute",
            "minutes",
            "s",
            "sec",
            "second",
            "seconds",
            "ms",
            "milli",
            "millis",
            "millisecond",
            "milliseconds",
            "microsecond",
            "microseconds",
            "tick",
            "ticks");

    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int position;

    private KqlLexer(String text) {
        this.text = text;
    }

    public static Result tokenize(String text) {
        requireNonNull(text, "text is null");
        KqlLexer lexer = new KqlLexer(text);
        lexer.run();
        return new Result(lexer.tokens, lexer.diagnostics);
    }

    /** Whether KQL reserves {@code word} as an operator, so a column of that name needs brackets. */
    public static boolean isWordOperator(String word) {
        return PLAIN_WORD_OPERATORS.contains(word)
                || NEGATABLE_WORD_OPERATORS.contains(word)
                || word.equals("matches regex");
    }

    private void run() {
        while (true) {
            int triviaStart = position;
            skipTrivia();
            String trivia = text.substring(triviaStart, position);
            int start = position;
            if (position >= text.length()) {
                tokens.add(new Token(TokenKind.END_OF_FILE, "", Span.empty(start), trivia));
                return;
            }
            TokenKind kind = scanToken();
            tokens.add(new Token(kind, text.substring(start, position), new Span(start, position), trivia));
        }
    }

    private void skipTrivia() {
        while (position < text.length()) {
            char current = text.charAt(position);
            if (isWhitespace(current)) {
                position++;
            } else if (current == '/' && peekChar(1) == '/') {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else {
                return;
            }
        }
    }

    private static boolean isWhitespace(char character) {
        // non-breaking spaces, byte order marks and zero-width characters occur in rules pasted from
        // web pages; they separate tokens like ordinary spaces.
        return Character.isWhitespace(character)
                || Character.isSpaceChar(character)
                || Character.getType(character) == Character.FORMAT;
    }

    private char peekChar(int offset) {
        int index = position + offset;
        if (index < text.length()) {
            return text.charAt(index);
        }
        return '\0';
    }

    private TokenKind scanToken() {
        char current = text.charAt(position);
        if (isStringStart()) {
            return scanString();
        }
        if (Character.isDigit(current) || (current == '.' && Character.isDigit(peekChar(1)))) {
            return scanNumber();
        }
        if (isIdentifierStart(current) || (current == '$' && isIdentifierStart(peekChar(1)))) {
            return scanWord();
        }
        return scanPunctuation(current);
    }

    private boolean isStringStart() {
        char current = text.charAt(position);
        if (current == '"' || current == '\'') {
            return true;
        }
        if (current == '@' && (peekChar(1) == '"' || peekChar(1) == '\'')) {
            return true;
        }
        if (current == '`' && text.startsWith("```", position)) {
            return true;
        }
        // obfuscated strings: h"..." h'...' h@"..." (and H), see the string data type page
        if ((current == 'h' || current == 'H')) {
            char next = peekChar(1);
            if (next == '"' || next == '\'') {
                return true;
            }
            return next == '@' && (peekChar(2) == '"' || peekChar(2) == '\'');
        }
        return false;
    }

    private TokenKind scanString() {
        int start = position;
        char current = text.charAt(position);
        if (current == 'h' || current == 'H') {
            position++;
            current = text.charAt(position);
        }
        if (current == '`') {
            int close = text.indexOf("```", position + 3);
            if (close < 0) {
                position = text.length();
                report(DiagnosticCode.UNTERMINATED_STRING, new Span(start, position));
            } else {
                position = close + 3;
            }
            return TokenKind.STRING;
        }
        boolean verbatim = current == '@';
        if (verbatim) {
            position++;
        }
        char quote = text.charAt(position);
        position++;
        while (position < text.length()) {
            char character = text.charAt(position);
            if (character == '\n' || character == '\r') {
                break;
            }
            if (verbatim) {
                if (character == quote) {
                    if (peekChar(1) == quote) {
                        position += 2;
                        continue;
                    }
                    position++;
                    return TokenKind.STRING;
                }
                position++;
            } else if (character == '\\') {
                position = Math.min(position + 2, text.length());
            } else if (character == quote) {
                position++;
                return TokenKind.STRING;
            } else {
                position++;
            }
        }
        report(DiagnosticCode.UNTERMINATED_STRING, new Span(start, position));
        return TokenKind.STRING;
    }

    private TokenKind scanNumber() {
        int start = position;
        if (text.charAt(position) == '0' && (peekChar(1) == 'x' || peekChar(1) == 'X') && isHexDigit(peekChar(2))) {
            position += 2;
            while (position < text.length() && isHexDigit(text.charAt(position))) {
                position++;
            }
            return TokenKind.LONG;
        }
        boolean real = false;
        skipDigits();
        // "1..5" is a range: a dot belongs to the number only when a digit follows it
        if (peekChar(0) == '.' && Character.isDigit(peekChar(1))) {
            real = true;
            position++;
            skipDigits();
        }
        if ((peekChar(0) == 'e' || peekChar(0) == 'E')) {
            int exponent = 1;
            if (peekChar(1) == '+' || peekChar(1) == '-') {
                exponent = 2;
            }
            if (Character.isDigit(peekChar(exponent))) {
                real = true;
                position += exponent;
                skipDigits();
            }
        }
        int suffixStart = position;
        int suffixEnd = position;
        while (suffixEnd < text.length() && isIdentifierPart(text.charAt(suffixEnd))) {
            suffixEnd++;
        }
        if (suffixEnd > suffixStart) {
            String suffix = text.substring(suffixStart, suffixEnd);
            if (TIMESPAN_UNITS.contains(suffix.toLowerCase(java.util.Locale.ROOT))) {
                position = suffixEnd;
                return TokenKind.TIMESPAN;
            }
            position = suffixEnd;
            report(DiagnosticCode.INVALID_LITERAL, new Span(start, position), "numeric");
        }
        if (real) {
            return TokenKind.REAL;
        }
        return TokenKind.LONG;
    }

    private void skipDigits() {
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
    }

    private static boolean isHexDigit(char character) {
        return Character.digit(character, 16) >= 0;
    }

    private static boolean isIdentifierStart(char character) {
        return Character.isLetter(character) || character == '_';
    }

    private static boolean isIdentifierPart(char character) {
        return Character.isLetterOrDigit(character) || character == '_';
    }

    private int wordEnd(int from) {
        int end = from;
        while (end < text.length() && isIdentifierPart(text.charAt(end))) {
            end++;
        }
        return end;
    }

    private TokenKind scanWord() {
        int start = position;
        if (text.charAt(position) == '$') {
            position++;
        }
        position = wordEnd(position);
        String word = text.substring(start, position);
        // dashed operator keywords such as project-away or execute-and-cache
        int end = position;
        String candidate = word;
        while (end < text.length()
                && text.charAt(end) == '-'
                && end + 1 < text.length()
                && isIdentifierStart(text.charAt(end + 1))) {
            int next = wordEnd(end + 1);
            candidate = text.substring(start, next);
            end = next;
            if (DASHED_KEYWORDS.contains(candidate)) {
                position = end;
                return TokenKind.IDENTIFIER;
            }
        }
        if (word.equals("in") && peekChar(0) == '~') {
            position++;
            return TokenKind.WORD_OPERATOR;
        }
        if (word.equals("matches")) {
            int after = position;
            while (after < text.length() && (text.charAt(after) == ' ' || text.charAt(after) == '\t')) {
                after++;
            }
            if (after > position && text.startsWith("regex", after) && wordEnd(after) == after + 5) {
                position = after + 5;
                return TokenKind.WORD_OPERATOR;
            }
        }
        if (PLAIN_WORD_OPERATORS.contains(word) || NEGATABLE_WORD_OPERATORS.contains(word)) {
            return TokenKind.WORD_OPERATOR;
        }
        if (word.equals("true")
                || word.equals("false")
                || word.equals("True")
                || word.equals("False")
                || word.equals("TRUE")
                || word.equals("FALSE")) {
            return TokenKind.BOOLEAN;
        }
        if (TYPED_LITERAL_PREFIXES.containsKey(word)) {
            int open = position;
            while (open < text.length() && (text.charAt(open) == ' ' || text.charAt(open) == '\t')) {
                open++;
            }
            if (open < text.length() && text.charAt(open) == '(') {
                return scanTypedLiteral(start, open, word);
            }
        }
        return TokenKind.IDENTIFIER;
    }

    private TokenKind scanTypedLiteral(int start, int open, String word) {
        int close = open + 1;
        while (close < text.length() && text.charAt(close) != ')' && text.charAt(close) != '\n') {
            close++;
        }
        if (close >= text.length() || text.charAt(close) != ')') {
            position = close;
            report(DiagnosticCode.INVALID_LITERAL, new Span(start, position), word);
            return TokenKind.TYPED_LITERAL;
        }
        position = close + 1;
        return TokenKind.TYPED_LITERAL;
    }

    private TokenKind scanPunctuation(char current) {
        char next = peekChar(1);
        switch (current) {
            case '|' -> {
                return single(TokenKind.PIPE);
            }
            case ';' -> {
                return single(TokenKind.SEMICOLON);
            }
            case ',' -> {
                return single(TokenKind.COMMA);
            }
            case ':' -> {
                return single(TokenKind.COLON);
            }
            case '(' -> {
                return single(TokenKind.OPEN_PAREN);
            }
            case ')' -> {
                return single(TokenKind.CLOSE_PAREN);
            }
            case '[' -> {
                return single(TokenKind.OPEN_BRACKET);
            }
            case ']' -> {
                return single(TokenKind.CLOSE_BRACKET);
            }
            case '{' -> {
                return single(TokenKind.OPEN_BRACE);
            }
            case '}' -> {
                return single(TokenKind.CLOSE_BRACE);
            }
            case '+' -> {
                return single(TokenKind.PLUS);
            }
            case '-' -> {
                return single(TokenKind.MINUS);
            }
            case '*' -> {
                return single(TokenKind.STAR);
            }
            case '/' -> {
                return single(TokenKind.SLASH);
            }
            case '%' -> {
                return single(TokenKind.PERCENT);
            }
            case '?' -> {
                return single(TokenKind.QUESTION);
            }
            case '.' -> {
                if (next == '.') {
                    return pair(TokenKind.DOT_DOT);
                }
                return single(TokenKind.DOT);
            }
            case '=' -> {
                if (next == '=') {
                    return pair(TokenKind.EQUAL_EQUAL);
                }
                if (next == '~') {
                    return pair(TokenKind.EQUAL_TILDE);
                }
                if (next == '>') {
                    return pair(TokenKind.FAT_ARROW);
                }
                return single(TokenKind.EQUAL);
            }
            case '<' -> {
                if (next == '=') {
                    return pair(TokenKind.LESS_EQUAL);
                }
                if (next == '>') {
                    return pair(TokenKind.LESS_GREATER);
                }
                return single(TokenKind.LESS);
            }
            case '>' -> {
                if (next == '=') {
                    return pair(TokenKind.GREATER_EQUAL);
                }
                return single(TokenKind.GREATER);
            }
            case '!' -> {
                return scanBang(next);
            }
            default -> {
                int start = position;
                position += Character.charCount(text.codePointAt(position));
                report(DiagnosticCode.INVALID_CHARACTER, new Span(start, position), text.substring(start, position));
                return TokenKind.ERROR;
            }
        }
    }

    private TokenKind scanBang(char next) {
        if (next == '=') {
            return pair(TokenKind.BANG_EQUAL);
        }
        if (next == '~') {
            return pair(TokenKind.BANG_TILDE);
        }
        if (isIdentifierStart(next)) {
            int end = wordEnd(position + 1);
            String word = text.substring(position + 1, end);
            if (word.equals("in") && end < text.length() && text.charAt(end) == '~') {
                position = end + 1;
                return TokenKind.WORD_OPERATOR;
            }
            if (NEGATABLE_WORD_OPERATORS.contains(word) || word.equals("containscs")) {
                position = end;
                return TokenKind.WORD_OPERATOR;
            }
        }
        return single(TokenKind.BANG);
    }

    private TokenKind single(TokenKind kind) {
        position++;
        return kind;
    }

    private TokenKind pair(TokenKind kind) {
        position += 2;
        return kind;
    }

    private void report(DiagnosticCode code, Span span, Object... arguments) {
        diagnostics.add(Diagnostic.create(text, code, span, arguments));
    }

    /**
     * The value of a string literal token: escapes resolved for regular strings, doubled quotes for
     * verbatim strings, the text as is for multi-line strings; the obfuscation prefix {@code h} is dropped.
     */
    public static String stringValue(String tokenText) {
        String body = tokenText;
        if (body.startsWith("h") || body.startsWith("H")) {
            body = body.substring(1);
        }
        if (body.startsWith("```")) {
            int end = body.length();
            if (body.length() >= 6 && body.endsWith("```")) {
                end = body.length() - 3;
            }
            return body.substring(3, end);
        }
        boolean verbatim = body.startsWith("@");
        if (verbatim) {
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            return "";
        }
        char quote = body.charAt(0);
        int end = body.length();
        if (body.length() >= 2 && body.charAt(body.length() - 1) == quote) {
            end = body.length() - 1;
        }
        String inner = body.substring(1, Math.max(1, end));
        if (verbatim) {
            String doubled = String.valueOf(quote) + quote;
            return inner.replace(doubled, String.valueOf(quote));
        }
        return unescape(inner);
    }

    private static String unescape(String inner) {
        StringBuilder value = new StringBuilder(inner.length());
        for (int index = 0; index < inner.length(); index++) {
            char character = inner.charAt(index);
            if (character != '\\' || index + 1 >= inner.length()) {
                value.append(character);
                continue;
            }
            index++;
            char escaped = inner.charAt(index);
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case '0' -> value.append('\0');
                case 'u' -> {
                    if (index + 4 < inner.length() && isHex(inner.substring(index + 1, index + 5))) {
                        value.append((char) Integer.parseInt(inner.substring(index + 1, index + 5), 16));
                        index += 4;
                    } else {
                        value.append(escaped);
                    }
                }
                default -> value.append(escaped);
            }
        }
        return value.toString();
    }

    private static boolean isHex(String digits) {
        for (int index = 0; index < digits.length(); index++) {
            if (!isHexDigit(digits.charAt(index))) {
                return false;
            }
        }
        return true;
    }
}
