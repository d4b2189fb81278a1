package io.vigil.kql.syntax;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause.ColumnDeclaration;
import io.vigil.kql.syntax.Clause.DynamicProperty;
import io.vigil.kql.syntax.Clause.FunctionBody;
import io.vigil.kql.syntax.Clause.FunctionParameter;
import io.vigil.kql.syntax.Clause.MakeSeriesAggregate;
import io.vigil.kql.syntax.Clause.MakeSeriesFromTo;
import io.vigil.kql.syntax.Clause.MakeSeriesInRange;
import io.vigil.kql.syntax.Clause.MakeSeriesRange;
import io.vigil.kql.syntax.Clause.MvExpandItem;
import io.vigil.kql.syntax.Clause.OperatorParameter;
import io.vigil.kql.syntax.Clause.OrderedExpression;
import io.vigil.kql.syntax.Clause.ParsePatternElement;
import io.vigil.kql.syntax.Clause.PatternColumn;
import io.vigil.kql.syntax.Clause.PatternText;
import io.vigil.kql.syntax.Clause.PatternWildcard;
import io.vigil.kql.syntax.Clause.TabularSchema;
import io.vigil.kql.syntax.Clause.TopNestedClause;
import io.vigil.kql.syntax.Clause.TypeExpression;
import io.vigil.kql.syntax.Clause.TypeReference;
import io.vigil.kql.syntax.Expression.Between;
import io.vigil.kql.syntax.Expression.Binary;
import io.vigil.kql.syntax.Expression.DynamicArray;
import io.vigil.kql.syntax.Expression.DynamicLiteral;
import io.vigil.kql.syntax.Expression.DynamicObject;
import io.vigil.kql.syntax.Expression.ElementAccess;
import io.vigil.kql.syntax.Expression.FunctionCall;
import io.vigil.kql.syntax.Expression.FunctionDeclaration;
import io.vigil.kql.syntax.Expression.In;
import io.vigil.kql.syntax.Expression.Literal;
import io.vigil.kql.syntax.Expression.MemberAccess;
import io.vigil.kql.syntax.Expression.Missing;
import io.vigil.kql.syntax.Expression.NameReference;
import io.vigil.kql.syntax.Expression.NamedExpression;
import io.vigil.kql.syntax.Expression.OperatorExpression;
import io.vigil.kql.syntax.Expression.Parenthesized;
import io.vigil.kql.syntax.Expression.Pipe;
import io.vigil.kql.syntax.Expression.Star;
import io.vigil.kql.syntax.Expression.TypeOf;
import io.vigil.kql.syntax.Expression.Unary;
import io.vigil.kql.syntax.Expression.UnaryOperator;
import io.vigil.kql.syntax.Expression.WildcardName;
import io.vigil.kql.syntax.Statement.ExpressionStatement;
import io.vigil.kql.syntax.Statement.LetStatement;
import io.vigil.kql.syntax.Statement.SetStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Hand-written recursive-descent parser for KQL, after the design of Microsoft's reference front end
 * (Kusto-Query-Language, src/Kusto.Language/Parser): it never throws, inserts {@link Missing} nodes
 * where input is absent, skips unknown query operators up to the next {@code |}, and returns every
 * diagnostic with its span. Grammar: https://learn.microsoft.com/kusto/query/ (syntax conventions
 * and each operator's page).
 */
public final class KqlParser {
    /** Deeper nesting is reported instead of risking the stack on hostile input. */
    private static final int MAX_DEPTH = 200;

    private static final Set<String> NO_PARAMETERS = Set.of();
    private static final Set<String> JOIN_PARAMETERS = Set.of("kind", "withsource");
    private static final Set<String> UNION_PARAMETERS = Set.of("kind", "withsource", "isfuzzy");
    private static final Set<String> KIND_PARAMETER = Set.of("kind");
    private static final Set<String> MV_EXPAND_PARAMETERS = Set.of("bagexpansion", "with_itemindex", "kind");
    private static final Set<String> MV_APPLY_PARAMETERS = Set.of("with_itemindex", "kind");
    private static final Set<String> PARSE_PARAMETERS = Set.of("kind", "flags");
    private static final Set<String> SEARCH_PARAMETERS = Set.of("kind", "withsource");
    private static final Set<String> FIND_PARAMETERS = Set.of("withsource", "datascope");

    private final String text;
    private final List<Token> tokens;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int index;
    private int depth;
    private int lastReportedPosition = -1;

    private KqlParser(String text, List<Token> tokens) {
        this.text = text;
        this.tokens = tokens;
    }

    /** Parses a whole query text. Never throws; problems are in {@link ParseResult#diagnostics()}. */
    public static ParseResult parse(String text) {
        requireNonNull(text, "text is null");
        KqlLexer.Result lexed = KqlLexer.tokenize(text);
        // the lexer already reported bad characters; parsing around them avoids a cascade of errors
        List<Token> tokens = lexed.tokens().stream()
                .filter(token -> token.kind() != TokenKind.ERROR)
                .toList();
        KqlParser parser = new KqlParser(text, tokens);
        Script script = parser.parseScript();
        List<Diagnostic> all = new ArrayList<>(lexed.diagnostics());
        all.addAll(parser.diagnostics);
        all.sort((left, right) ->
                Integer.compare(left.span().start(), right.span().start()));
        return new ParseResult(script, all);
    }

    // ---- tokens

    private Token peek() {
        return peek(0);
    }

    private Token peek(int offset) {
        int position = Math.min(index + offset, tokens.size() - 1);
        return tokens.get(position);
    }

    private TokenKind kind(int offset) {
        return peek(offset).kind();
    }

    private boolean at(TokenKind kind) {
        return peek().kind() == kind;
    }

    private boolean atWord(String word) {
        return atWord(0, word);
    }

    private boolean atWord(int offset, String word) {
        Token token = peek(offset);
        return (token.kind() == TokenKind.IDENTIFIER || token.kind() == TokenKind.WORD_OPERATOR)
                && token.text().equals(word);
    }

    private Token advance() {
        Token token = peek();
        if (token.kind() != TokenKind.END_OF_FILE) {
            index++;
        }
        return token;
    }

    private int start() {
        return peek().span().start();
    }

    private int lastEnd() {
        if (index == 0) {
            return 0;
        }
        return tokens.get(index - 1).span().end();
    }

    private Span spanFrom(int start) {
        return new Span(start, Math.max(start, lastEnd()));
    }

    private void report(DiagnosticCode code, Span span, Object... arguments) {
        // one diagnostic per position keeps a single mistake from cascading into many
        if (span.start() == lastReportedPosition) {
            return;
        }
        lastReportedPosition = span.start();
        diagnostics.add(Diagnostic.create(text, code, span, arguments));
    }

    private void reportUnexpected() {
        Token token = peek();
        if (token.kind() == TokenKind.END_OF_FILE) {
            report(DiagnosticCode.UNEXPECTED_TOKEN, token.span(), "end of text");
        } else {
            report(DiagnosticCode.UNEXPECTED_TOKEN, token.span(), token.text());
        }
    }

    /**
     * Where something absent belongs: right after the previous token, as the reference parser places
     * missing nodes, so the diagnostic points at the end of the incomplete line.
     */
    private Span missingSpan() {
        if (index == 0) {
            return Span.empty(start());
        }
        return Span.empty(lastEnd());
    }

    private boolean expect(TokenKind kind, String spelling) {
        if (at(kind)) {
            advance();
            return true;
        }
        report(DiagnosticCode.MISSING_TOKEN, missingSpan(), spelling);
        return false;
    }

    private boolean expectWord(String word) {
        if (atWord(word)) {
            advance();
            return true;
        }
        report(DiagnosticCode.MISSING_TOKEN, missingSpan(), word);
        return false;
    }

    private Missing missingExpression() {
        report(DiagnosticCode.MISSING_EXPRESSION, missingSpan());
        return new Missing(missingSpan());
    }

    private boolean atOperatorEnd() {
        return switch (peek().kind()) {
            case PIPE, SEMICOLON, END_OF_FILE, CLOSE_PAREN, CLOSE_BRACE, CLOSE_BRACKET -> true;
            default -> false;
        };
    }

    /**
     * Skips tokens, keeping brackets balanced, up to the next {@code |} or {@code ;} at this level or
     * an unmatched closing bracket, which is left for the caller.
     */
    private void skipToOperatorEnd() {
        int nesting = 0;
        while (!at(TokenKind.END_OF_FILE)) {
            TokenKind kind = peek().kind();
            if (nesting == 0 && (kind == TokenKind.PIPE || kind == TokenKind.SEMICOLON)) {
                return;
            }
            switch (kind) {
                case OPEN_PAREN, OPEN_BRACKET, OPEN_BRACE -> nesting++;
                case CLOSE_PAREN, CLOSE_BRACKET, CLOSE_BRACE -> {
                    if (nesting == 0) {
                        return;
                    }
                    nesting--;
                }
                default -> {}
            }
            advance();
        }
    }

    /** After an expression, reports and skips stray tokens, resuming at a following {@code |}. */
    private Expression recover(Expression expression, TokenKind closer) {
        while (!at(TokenKind.SEMICOLON) && !at(TokenKind.END_OF_FILE) && !at(closer)) {
            int before = index;
            reportUnexpected();
            skipToOperatorEnd();
            if (at(TokenKind.PIPE)) {
                expression = parsePipes(expression);
            } else if (index == before) {
                // an unmatched closing bracket of another kind: drop it
                advance();
            }
        }
        return expression;
    }

    private <T> List<T> commaList(Supplier<T> element) {
        List<T> elements = new ArrayList<>();
        elements.add(element.get());
        while (at(TokenKind.COMMA)) {
            advance();
            elements.add(element.get());
        }
        return elements;
    }

    // ---- statements

    private Script parseScript() {
        List<Statement> statements = new ArrayList<>();
        while (!at(TokenKind.END_OF_FILE)) {
            if (at(TokenKind.SEMICOLON)) {
                advance();
                continue;
            }
            int before = index;
            statements.add(parseStatement(TokenKind.SEMICOLON));
            if (at(TokenKind.SEMICOLON)) {
                advance();
            } else if (index == before) {
                reportUnexpected();
                advance();
            }
        }
        return new Script(new Span(0, text.length()), statements);
    }

    private Statement parseStatement(TokenKind closer) {
        int start = start();
        if (atWord("let") && (kind(1) == TokenKind.IDENTIFIER || kind(1) == TokenKind.OPEN_BRACKET)) {
            return parseLet(closer);
        }
        if (atWord("set") && kind(1) == TokenKind.IDENTIFIER) {
            TokenKind after = kind(2);
            if (after == TokenKind.EQUAL || after == TokenKind.SEMICOLON || after == TokenKind.END_OF_FILE) {
                return parseSet();
            }
        }
        Expression expression = recover(parseExpression(), closer);
        return new ExpressionStatement(spanFrom(start), expression);
    }

    private LetStatement parseLet(TokenKind closer) {
        int start = start();
        advance();
        String name = parseName();
        expect(TokenKind.EQUAL, "=");
        Expression value;
        if (atWord("view") && kind(1) == TokenKind.OPEN_PAREN) {
            value = parseFunctionDeclaration(true);
        } else if (at(TokenKind.OPEN_PAREN) && isFunctionDeclarationAhead()) {
            value = parseFunctionDeclaration(false);
        } else {
            value = recover(parseExpression(), closer);
        }
        return new LetStatement(spanFrom(start), name, value);
    }

    private boolean isFunctionDeclarationAhead() {
        if (kind(1) == TokenKind.CLOSE_PAREN) {
            return kind(2) == TokenKind.OPEN_BRACE;
        }
        if (kind(1) == TokenKind.IDENTIFIER) {
            return kind(2) == TokenKind.COLON;
        }
        return isBracketedNameAhead(1) && kind(4) == TokenKind.COLON;
    }

    private SetStatement parseSet() {
        int start = start();
        advance();
        String name = advance().text();
        Optional<Expression> value = Optional.empty();
        if (at(TokenKind.EQUAL)) {
            advance();
            value = Optional.of(parseScalar());
        }
        return new SetStatement(spanFrom(start), name, value);
    }

    /** source: https://learn.microsoft.com/kusto/query/functions/user-defined-functions */
    private FunctionDeclaration parseFunctionDeclaration(boolean view) {
        int start = start();
        if (view) {
            advance();
        }
        expect(TokenKind.OPEN_PAREN, "(");
        List<FunctionParameter> parameters = new ArrayList<>();
        if (!at(TokenKind.CLOSE_PAREN)) {
            parameters.addAll(commaList(this::parseFunctionParameter));
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        int bodyStart = start();
        List<Statement> statements = new ArrayList<>();
        if (expect(TokenKind.OPEN_BRACE, "{")) {
            depth++;
            while (!at(TokenKind.CLOSE_BRACE) && !at(TokenKind.END_OF_FILE) && depth <= MAX_DEPTH) {
                if (at(TokenKind.SEMICOLON)) {
                    advance();
                    continue;
                }
                int before = index;
                statements.add(parseStatement(TokenKind.CLOSE_BRACE));
                if (index == before) {
                    reportUnexpected();
                    advance();
                }
            }
            depth--;
            expect(TokenKind.CLOSE_BRACE, "}");
        }
        FunctionBody body = new FunctionBody(spanFrom(bodyStart), statements);
        return new FunctionDeclaration(spanFrom(start), view, parameters, body);
    }

    private FunctionParameter parseFunctionParameter() {
        int start = start();
        String name = parseName();
        expect(TokenKind.COLON, ":");
        TypeExpression type;
        if (at(TokenKind.OPEN_PAREN)) {
            type = parseTabularSchema();
        } else {
            type = parseTypeReference();
        }
        Optional<Expression> defaultValue = Optional.empty();
        if (at(TokenKind.EQUAL)) {
            advance();
            defaultValue = Optional.of(parseUnary());
        }
        return new FunctionParameter(spanFrom(start), name, type, defaultValue);
    }

    private TabularSchema parseTabularSchema() {
        int start = start();
        advance();
        List<ColumnDeclaration> columns = new ArrayList<>();
        boolean open = false;
        while (!at(TokenKind.CLOSE_PAREN) && !at(TokenKind.END_OF_FILE)) {
            if (at(TokenKind.STAR)) {
                advance();
                open = true;
            } else if (isNameStart()) {
                columns.add(parseColumnDeclaration());
            } else {
                reportUnexpected();
                break;
            }
            if (!at(TokenKind.COMMA)) {
                break;
            }
            advance();
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return new TabularSchema(spanFrom(start), columns, open);
    }

    private ColumnDeclaration parseColumnDeclaration() {
        int start = start();
        String name = parseName();
        expect(TokenKind.COLON, ":");
        TypeReference type = parseTypeReference();
        return new ColumnDeclaration(spanFrom(start), name, type);
    }

    private TypeReference parseTypeReference() {
        int start = start();
        if (at(TokenKind.IDENTIFIER)) {
            return new TypeReference(advance().span(), peek(-1).text());
        }
        report(DiagnosticCode.MISSING_TYPE, missingSpan());
        return new TypeReference(missingSpan(), "");
    }

    // ---- names

    private boolean isNameStart() {
        return at(TokenKind.IDENTIFIER) || isBracketedNameAhead(0);
    }

    private boolean isBracketedNameAhead(int offset) {
        return kind(offset) == TokenKind.OPEN_BRACKET
                && kind(offset + 1) == TokenKind.STRING
                && kind(offset + 2) == TokenKind.CLOSE_BRACKET;
    }

    /** A plain name or a bracketed one, {@code ['name']} (entity names page). */
    private String parseName() {
        if (at(TokenKind.IDENTIFIER)) {
            return advance().text();
        }
        if (isBracketedNameAhead(0)) {
            advance();
            String name = KqlLexer.stringValue(advance().text());
            advance();
            return name;
        }
        report(DiagnosticCode.MISSING_NAME, missingSpan());
        return "";
    }

    /** {@code name =} or {@code ['name'] =} ahead (a single {@code =}, not {@code ==}). */
    private boolean isNameAssignmentAhead() {
        if (at(TokenKind.IDENTIFIER)) {
            return kind(1) == TokenKind.EQUAL;
        }
        return isBracketedNameAhead(0) && kind(3) == TokenKind.EQUAL;
    }

    /** {@code (a, b) =} ahead, the tuple form of extend and summarize. */
    private boolean isTupleAssignmentAhead() {
        if (!at(TokenKind.OPEN_PAREN)) {
            return false;
        }
        int offset = 1;
        while (true) {
            if (kind(offset) == TokenKind.IDENTIFIER) {
                offset++;
            } else if (isBracketedNameAhead(offset)) {
                offset += 3;
            } else {
                return false;
            }
            if (kind(offset) == TokenKind.CLOSE_PAREN) {
                return kind(offset + 1) == TokenKind.EQUAL;
            }
            if (kind(offset) != TokenKind.COMMA) {
                return false;
            }
            offset++;
        }
    }

    /** A name pattern with {@code *} written without spaces, e.g. {@code Security*} or {@code *}. */
    private Optional<Expression> tryParseWildcardName() {
        int offset = 0;
        boolean hasStar = false;
        StringBuilder pattern = new StringBuilder();
        while (true) {
            Token token = peek(offset);
            if (token.kind() != TokenKind.IDENTIFIER && token.kind() != TokenKind.STAR) {
                break;
            }
            if (offset > 0 && token.hasLeadingTrivia()) {
                break;
            }
            if (offset > 0 && token.kind() == TokenKind.IDENTIFIER && kind(offset - 1) == TokenKind.IDENTIFIER) {
                break;
            }
            hasStar |= token.kind() == TokenKind.STAR;
            pattern.append(token.text());
            offset++;
        }
        if (!hasStar) {
            return Optional.empty();
        }
        int start = start();
        for (int step = 0; step < offset; step++) {
            advance();
        }
        return Optional.of(new WildcardName(spanFrom(start), pattern.toString()));
    }

    private Expression parseColumnNameOrWildcard() {
        Optional<Expression> wildcard = tryParseWildcardName();
        if (wildcard.isPresent()) {
            return wildcard.get();
        }
        return parseScalar();
    }

    // ---- expressions

    /** An expression including pipes: the level of let values, statements and arguments. */
    private Expression parseExpression() {
        return parsePipes(parseScalar());
    }

    private Expression parsePipes(Expression source) {
        Expression expression = source;
        while (at(TokenKind.PIPE)) {
            int start = expression.span().start();
            advance();
            QueryOperator operator = parseQueryOperator();
            expression = new Pipe(spanFrom(start), expression, operator);
        }
        return expression;
    }

    /** A subquery that starts with an operator, as in {@code mv-apply ... on (where x | take 1)}. */
    private Expression parseContextualPipeline() {
        QueryOperator first = parseQueryOperator();
        return parsePipes(new OperatorExpression(first.span(), first));
    }

    private Expression parseParenthesizedPipeline() {
        expect(TokenKind.OPEN_PAREN, "(");
        Expression pipeline = recover(parseContextualPipeline(), TokenKind.CLOSE_PAREN);
        expect(TokenKind.CLOSE_PAREN, ")");
        return pipeline;
    }

    private Expression parseScalar() {
        return parseOr();
    }

    private Expression parseOr() {
        Expression left = parseAnd();
        while (atWord("or")) {
            advance();
            Expression right = parseAnd();
            left = new Binary(spanFrom(left.span().start()), BinaryOperator.OR, left, right);
        }
        return left;
    }

    private Expression parseAnd() {
        Expression left = parseEquality();
        while (atWord("and")) {
            advance();
            Expression right = parseEquality();
            left = new Binary(spanFrom(left.span().start()), BinaryOperator.AND, left, right);
        }
        return left;
    }

    private Optional<BinaryOperator> equalityOperator(Token token) {
        return switch (token.kind()) {
            case EQUAL_EQUAL -> Optional.of(BinaryOperator.EQUAL);
            case BANG_EQUAL -> Optional.of(BinaryOperator.NOT_EQUAL);
            case LESS_GREATER -> Optional.of(BinaryOperator.LESS_GREATER);
            case EQUAL_TILDE -> Optional.of(BinaryOperator.EQUAL_CASE_INSENSITIVE);
            case BANG_TILDE -> Optional.of(BinaryOperator.NOT_EQUAL_CASE_INSENSITIVE);
            case WORD_OPERATOR -> {
                if (token.text().startsWith("matches")) {
                    yield Optional.of(BinaryOperator.MATCHES_REGEX);
                }
                yield BinaryOperator.fromText(token.text())
                        .filter(operator -> operator.precedence() == BinaryOperator.EQUALITY_PRECEDENCE);
            }
            default -> Optional.empty();
        };
    }

    private Expression parseEquality() {
        Expression left = parseRelational();
        while (true) {
            Token token = peek();
            int start = left.span().start();
            Optional<BinaryOperator> binary = equalityOperator(token);
            if (binary.isPresent()) {
                advance();
                Expression right = parseRelational();
                left = new Binary(spanFrom(start), binary.get(), left, right);
                continue;
            }
            if (token.kind() != TokenKind.WORD_OPERATOR) {
                return left;
            }
            Optional<InOperator> in = InOperator.fromText(token.text());
            if (in.isPresent()) {
                advance();
                List<Expression> values = parseInValues();
                left = new In(spanFrom(start), in.get(), left, values);
            } else if (token.text().equals("between")
                    || token.text().equals("!between")
                    || token.text().equals("notbetween")) {
                advance();
                expect(TokenKind.OPEN_PAREN, "(");
                Expression low = parseScalar();
                expect(TokenKind.DOT_DOT, "..");
                Expression high = parseScalar();
                expect(TokenKind.CLOSE_PAREN, ")");
                boolean negated = !token.text().equals("between");
                left = new Between(spanFrom(start), negated, left, low, high);
            } else {
                return left;
            }
        }
    }

    /** source: https://learn.microsoft.com/kusto/query/in-operator (a list or one tabular expression) */
    private List<Expression> parseInValues() {
        if (!at(TokenKind.OPEN_PAREN)) {
            return List.of(parsePostfix());
        }
        advance();
        List<Expression> values = new ArrayList<>();
        if (!at(TokenKind.CLOSE_PAREN)) {
            values.addAll(commaList(this::parseExpression));
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return values;
    }

    private Expression parseRelational() {
        Expression left = parseAdditive();
        while (true) {
            BinaryOperator operator;
            switch (peek().kind()) {
                case LESS -> operator = BinaryOperator.LESS;
                case LESS_EQUAL -> operator = BinaryOperator.LESS_EQUAL;
                case GREATER -> operator = BinaryOperator.GREATER;
                case GREATER_EQUAL -> operator = BinaryOperator.GREATER_EQUAL;
                default -> {
                    return left;
                }
            }
            advance();
            Expression right = parseAdditive();
            left = new Binary(spanFrom(left.span().start()), operator, left, right);
        }
    }

    private Expression parseAdditive() {
        Expression left = parseMultiplicative();
        while (at(TokenKind.PLUS) || at(TokenKind.MINUS)) {
            BinaryOperator operator = BinaryOperator.ADD;
            if (at(TokenKind.MINUS)) {
                operator = BinaryOperator.SUBTRACT;
            }
            advance();
            Expression right = parseMultiplicative();
            left = new Binary(spanFrom(left.span().start()), operator, left, right);
        }
        return left;
    }

    private Expression parseMultiplicative() {
        Expression left = parseUnary();
        while (true) {
            BinaryOperator operator;
            switch (peek().kind()) {
                case STAR -> operator = BinaryOperator.MULTIPLY;
                case SLASH -> operator = BinaryOperator.DIVIDE;
                case PERCENT -> operator = BinaryOperator.MODULO;
                default -> {
                    return left;
                }
            }
            advance();
            Expression right = parseUnary();
            left = new Binary(spanFrom(left.span().start()), operator, left, right);
        }
    }

    private Expression parseUnary() {
        if (depth >= MAX_DEPTH) {
            report(DiagnosticCode.NESTING_TOO_DEEP, Span.empty(start()));
            return new Missing(Span.empty(start()));
        }
        depth++;
        try {
            int start = start();
            if (at(TokenKind.MINUS) || at(TokenKind.PLUS)) {
                UnaryOperator operator = UnaryOperator.PLUS;
                if (at(TokenKind.MINUS)) {
                    operator = UnaryOperator.MINUS;
                }
                advance();
                Expression operand = parseUnary();
                return new Unary(spanFrom(start), operator, operand);
            }
            return parsePostfix();
        } finally {
            depth--;
        }
    }

    private Expression parsePostfix() {
        Expression expression = parsePrimary();
        while (true) {
            int start = expression.span().start();
            if (at(TokenKind.DOT) && kind(1) == TokenKind.OPEN_BRACKET) {
                // legacy path syntax a.[0] and a.["b"] means a[0] and a["b"]; Sentinel rules still use it
                advance();
                advance();
                Expression elementIndex = parseExpression();
                expect(TokenKind.CLOSE_BRACKET, "]");
                expression = new ElementAccess(spanFrom(start), expression, elementIndex);
            } else if (at(TokenKind.DOT)) {
                advance();
                String member = parseMemberName();
                expression = new MemberAccess(spanFrom(start), expression, member);
            } else if (at(TokenKind.OPEN_BRACKET)) {
                advance();
                Expression elementIndex = parseExpression();
                expect(TokenKind.CLOSE_BRACKET, "]");
                expression = new ElementAccess(spanFrom(start), expression, elementIndex);
            } else {
                return expression;
            }
        }
    }

    private String parseMemberName() {
        Token token = peek();
        switch (token.kind()) {
            case IDENTIFIER, WORD_OPERATOR, BOOLEAN -> {
                advance();
                return token.text();
            }
            default -> {
                return parseName();
            }
        }
    }

    private Expression parsePrimary() {
        Token token = peek();
        int start = start();
        switch (token.kind()) {
            case STRING -> {
                return parseStringLiteral();
            }
            case LONG -> {
                return literal(LiteralKind.LONG);
            }
            case REAL -> {
                return literal(LiteralKind.REAL);
            }
            case TIMESPAN -> {
                return literal(LiteralKind.TIMESPAN);
            }
            case BOOLEAN -> {
                return literal(LiteralKind.BOOLEAN);
            }
            case TYPED_LITERAL -> {
                return parseTypedLiteral();
            }
            case STAR -> {
                advance();
                return new Star(token.span());
            }
            case OPEN_PAREN -> {
                advance();
                Expression inner = recover(parseExpression(), TokenKind.CLOSE_PAREN);
                expect(TokenKind.CLOSE_PAREN, ")");
                return new Parenthesized(spanFrom(start), inner);
            }
            case OPEN_BRACKET -> {
                if (isBracketedNameAhead(0)) {
                    String name = parseName();
                    return new NameReference(spanFrom(start), name);
                }
                return missingExpression();
            }
            case IDENTIFIER -> {
                return parseIdentifierPrimary(token);
            }
            default -> {
                return missingExpression();
            }
        }
    }

    private Expression parseIdentifierPrimary(Token token) {
        String name = token.text();
        int start = start();
        boolean call = kind(1) == TokenKind.OPEN_PAREN;
        if (name.equals("dynamic") && call) {
            return parseDynamic();
        }
        if (name.equals("typeof") && call) {
            return parseTypeOf();
        }
        if (startsTabularSource(name)) {
            QueryOperator operator = parseQueryOperator();
            return new OperatorExpression(operator.span(), operator);
        }
        if (call) {
            advance();
            List<Expression> arguments = parseArguments();
            return new FunctionCall(spanFrom(start), name, arguments);
        }
        advance();
        return new NameReference(token.span(), name);
    }

    /** Operators that may start a pipeline instead of a table (tabular expression statements page). */
    private boolean startsTabularSource(String name) {
        return switch (name) {
            case "union", "print", "datatable", "externaldata", "external_data", "evaluate", "find" -> true;
            case "search" -> kind(1) != TokenKind.EQUAL && kind(1) != TokenKind.DOT;
            case "range" -> kind(1) == TokenKind.IDENTIFIER && atWord(2, "from");
            default -> false;
        };
    }

    private List<Expression> parseArguments() {
        expect(TokenKind.OPEN_PAREN, "(");
        List<Expression> arguments = new ArrayList<>();
        if (!at(TokenKind.CLOSE_PAREN)) {
            arguments.addAll(commaList(this::parseArgument));
        }
        if (!at(TokenKind.CLOSE_PAREN) && !at(TokenKind.END_OF_FILE)) {
            reportUnexpected();
            skipToOperatorEnd();
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return arguments;
    }

    private Expression parseArgument() {
        if (at(TokenKind.IDENTIFIER) && kind(1) == TokenKind.EQUAL) {
            int start = start();
            String name = advance().text();
            advance();
            Expression value = parseExpression();
            return new NamedExpression(spanFrom(start), List.of(name), value);
        }
        return parseExpression();
    }

    private Literal literal(LiteralKind kind) {
        Token token = advance();
        return new Literal(token.span(), kind, token.text(), token.text());
    }

    /** Adjacent string literals form one literal (string data type page). */
    private Literal parseStringLiteral() {
        int start = start();
        StringBuilder source = new StringBuilder();
        StringBuilder value = new StringBuilder();
        while (at(TokenKind.STRING)) {
            Token token = advance();
            if (!source.isEmpty()) {
                source.append(' ');
            }
            source.append(token.text());
            value.append(KqlLexer.stringValue(token.text()));
        }
        return new Literal(spanFrom(start), LiteralKind.STRING, source.toString(), value.toString());
    }

    private Literal parseTypedLiteral() {
        Token token = advance();
        String source = token.text();
        int open = source.indexOf('(');
        String prefix = source.substring(0, open).strip();
        int close = source.lastIndexOf(')');
        if (close < open) {
            close = source.length();
        }
        String content = source.substring(open + 1, close).strip();
        LiteralKind kind = switch (KqlLexer.TYPED_LITERAL_PREFIXES.getOrDefault(prefix, "datetime")) {
            case "timespan" -> LiteralKind.TIMESPAN;
            case "guid" -> LiteralKind.GUID;
            case "int" -> LiteralKind.INT;
            case "long" -> LiteralKind.LONG;
            case "real" -> LiteralKind.REAL;
            case "decimal" -> LiteralKind.DECIMAL;
            case "bool" -> LiteralKind.BOOLEAN;
            default -> LiteralKind.DATETIME;
        };
        return new Literal(token.span(), kind, source, content);
    }

    /** source: https://learn.microsoft.com/kusto/query/scalar-data-types/dynamic */
    private Expression parseDynamic() {
        int start = start();
        advance();
        expect(TokenKind.OPEN_PAREN, "(");
        Expression value = parseDynamicValue();
        if (!at(TokenKind.CLOSE_PAREN) && !at(TokenKind.END_OF_FILE)) {
            reportUnexpected();
            skipToOperatorEnd();
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return new DynamicLiteral(spanFrom(start), value);
    }

    private Expression parseDynamicValue() {
        int start = start();
        if (depth >= MAX_DEPTH) {
            report(DiagnosticCode.NESTING_TOO_DEEP, Span.empty(start));
            return new Missing(Span.empty(start));
        }
        depth++;
        try {
            if (at(TokenKind.OPEN_BRACKET)) {
                advance();
                List<Expression> elements = new ArrayList<>();
                while (!at(TokenKind.CLOSE_BRACKET) && !at(TokenKind.END_OF_FILE)) {
                    int before = index;
                    elements.add(parseDynamicValue());
                    if (!at(TokenKind.COMMA) || index == before) {
                        break;
                    }
                    advance();
                }
                expect(TokenKind.CLOSE_BRACKET, "]");
                return new DynamicArray(spanFrom(start), elements);
            }
            if (at(TokenKind.OPEN_BRACE)) {
                advance();
                List<DynamicProperty> properties = new ArrayList<>();
                while (!at(TokenKind.CLOSE_BRACE) && !at(TokenKind.END_OF_FILE)) {
                    int before = index;
                    int propertyStart = start();
                    String key;
                    if (at(TokenKind.STRING)) {
                        key = KqlLexer.stringValue(advance().text());
                    } else {
                        key = parseName();
                    }
                    expect(TokenKind.COLON, ":");
                    Expression value = parseDynamicValue();
                    properties.add(new DynamicProperty(spanFrom(propertyStart), key, value));
                    // no progress (a token index, not the property's character offset) ends the bag
                    if (!at(TokenKind.COMMA) || index == before) {
                        break;
                    }
                    advance();
                }
                expect(TokenKind.CLOSE_BRACE, "}");
                return new DynamicObject(spanFrom(start), properties);
            }
            if (atWord("null")) {
                Token token = advance();
                return new Literal(token.span(), LiteralKind.NULL, "null", "null");
            }
            return parseUnary();
        } finally {
            depth--;
        }
    }

    /** source: https://learn.microsoft.com/kusto/query/mv-expand-operator ({@code to typeof(...)}) */
    private TypeOf parseTypeOf() {
        int start = start();
        advance();
        expect(TokenKind.OPEN_PAREN, "(");
        List<TypeReference> types = new ArrayList<>();
        if (!at(TokenKind.CLOSE_PAREN)) {
            types.addAll(commaList(this::parseTypeReference));
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return new TypeOf(spanFrom(start), types);
    }

    /** {@code name = expression}, {@code (a, b) = expression} or an unnamed expression. */
    private Expression parseNamedOrScalar() {
        int start = start();
        if (isNameAssignmentAhead()) {
            String name = parseName();
            advance();
            Expression value = parseScalar();
            return new NamedExpression(spanFrom(start), List.of(name), value);
        }
        if (isTupleAssignmentAhead()) {
            advance();
            List<String> names = commaList(this::parseName);
            expect(TokenKind.CLOSE_PAREN, ")");
            expect(TokenKind.EQUAL, "=");
            Expression value = parseScalar();
            return new NamedExpression(spanFrom(start), names, value);
        }
        return parseScalar();
    }

    private OrderedExpression parseOrdered(Supplier<Expression> element) {
        int start = start();
        Expression expression = element.get();
        Optional<SortDirection> direction = parseDirection();
        Optional<NullsPosition> nulls = Optional.empty();
        if (atWord("nulls")) {
            advance();
            if (atWord("first")) {
                advance();
                nulls = Optional.of(NullsPosition.FIRST);
            } else if (atWord("last")) {
                advance();
                nulls = Optional.of(NullsPosition.LAST);
            } else {
                report(DiagnosticCode.MISSING_TOKEN, missingSpan(), "first' or 'last");
            }
        }
        return new OrderedExpression(spanFrom(start), expression, direction, nulls);
    }

    private Optional<SortDirection> parseDirection() {
        if (atWord("asc")) {
            advance();
            return Optional.of(SortDirection.ASCENDING);
        }
        if (atWord("desc")) {
            advance();
            return Optional.of(SortDirection.DESCENDING);
        }
        return Optional.empty();
    }

    // ---- query operators

    private List<OperatorParameter> parseParameters(Set<String> names) {
        List<OperatorParameter> parameters = new ArrayList<>();
        while (at(TokenKind.IDENTIFIER)) {
            int start = start();
            String name = peek().text();
            int valueOffset;
            if (names.contains(name) && kind(1) == TokenKind.EQUAL) {
                valueOffset = 2;
            } else if (name.equals("hint")
                    && kind(1) == TokenKind.DOT
                    && kind(2) == TokenKind.IDENTIFIER
                    && kind(3) == TokenKind.EQUAL) {
                // hint.strategy, hint.shufflekey, hint.remote... (join and summarize pages)
                name = name + "." + peek(2).text();
                valueOffset = 4;
            } else {
                break;
            }
            for (int step = 0; step < valueOffset; step++) {
                advance();
            }
            Expression value = parseParameterValue();
            parameters.add(new OperatorParameter(spanFrom(start), name, value));
        }
        return parameters;
    }

    private Expression parseParameterValue() {
        if (at(TokenKind.IDENTIFIER)) {
            Token token = advance();
            return new NameReference(token.span(), token.text());
        }
        return switch (peek().kind()) {
            case STRING, LONG, REAL, BOOLEAN, TIMESPAN, TYPED_LITERAL, MINUS, PLUS -> parseUnary();
            default -> missingExpression();
        };
    }

    private List<OperatorParameter> parsePropertyList() {
        expect(TokenKind.OPEN_PAREN, "(");
        List<OperatorParameter> properties = new ArrayList<>();
        while (isNameStart()) {
            int start = start();
            String name = parseName();
            expect(TokenKind.EQUAL, "=");
            Expression value = parseParameterValue();
            properties.add(new OperatorParameter(spanFrom(start), name, value));
            if (!at(TokenKind.COMMA)) {
                break;
            }
            advance();
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return properties;
    }

    private QueryOperator parseQueryOperator() {
        int start = start();
        if (depth >= MAX_DEPTH) {
            report(DiagnosticCode.NESTING_TOO_DEEP, Span.empty(start));
            skipToOperatorEnd();
            Span span = spanFrom(start);
            return new QueryOperator.BadOperator(span, text.substring(span.start(), span.end()));
        }
        depth++;
        try {
            Token token = peek();
            if (token.kind() != TokenKind.IDENTIFIER) {
                report(DiagnosticCode.MISSING_QUERY_OPERATOR, missingSpan());
                skipToOperatorEnd();
                Span span = spanFrom(start);
                return new QueryOperator.BadOperator(span, text.substring(span.start(), span.end()));
            }
            return parseKnownOperator(token.text(), start);
        } finally {
            depth--;
        }
    }

    private QueryOperator parseKnownOperator(String name, int start) {
        switch (name) {
            case "where", "filter" -> {
                advance();
                var child = parseScalar();
                return new QueryOperator.WhereOperator(spanFrom(start), child);
            }
            case "project" -> {
                advance();
                var child = namedList();
                return new QueryOperator.ProjectOperator(spanFrom(start), child);
            }
            case "project-away" -> {
                advance();
                var child = commaList(this::parseColumnNameOrWildcard);
                return new QueryOperator.ProjectAwayOperator(spanFrom(start), child);
            }
            case "project-keep" -> {
                advance();
                var child = commaList(this::parseColumnNameOrWildcard);
                return new QueryOperator.ProjectKeepOperator(spanFrom(start), child);
            }
            case "project-rename" -> {
                advance();
                var child = namedList();
                return new QueryOperator.ProjectRenameOperator(spanFrom(start), child);
            }
            case "project-reorder" -> {
                advance();
                List<OrderedExpression> columns = commaList(() -> parseOrdered(this::parseColumnNameOrWildcard));
                return new QueryOperator.ProjectReorderOperator(spanFrom(start), columns);
            }
            case "extend" -> {
                advance();
                var child = namedList();
                return new QueryOperator.ExtendOperator(spanFrom(start), child);
            }
            case "summarize" -> {
                return parseSummarize(start);
            }
            case "count" -> {
                advance();
                return new QueryOperator.CountOperator(spanFrom(start));
            }
            case "take", "limit" -> {
                advance();
                var child = parseScalar();
                return new QueryOperator.TakeOperator(spanFrom(start), child);
            }
            case "top" -> {
                advance();
                Expression count = parseScalar();
                expectWord("by");
                List<OrderedExpression> by = commaList(() -> parseOrdered(this::parseScalar));
                return new QueryOperator.TopOperator(spanFrom(start), count, by);
            }
            case "top-nested" -> {
                return parseTopNested(start);
            }
            case "sort", "order" -> {
                advance();
                expectWord("by");
                List<OrderedExpression> by = commaList(() -> parseOrdered(this::parseScalar));
                return new QueryOperator.SortOperator(spanFrom(start), by);
            }
            case "distinct" -> {
                advance();
                var child = commaList(this::parseScalar);
                return new QueryOperator.DistinctOperator(spanFrom(start), child);
            }
            case "join" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(JOIN_PARAMETERS);
                Expression right = parsePostfix();
                List<Expression> on = parseJoinConditions();
                return new QueryOperator.JoinOperator(spanFrom(start), parameters, right, on);
            }
            case "lookup" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(KIND_PARAMETER);
                Expression right = parsePostfix();
                List<Expression> on = parseJoinConditions();
                return new QueryOperator.LookupOperator(spanFrom(start), parameters, right, on);
            }
            case "union" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(UNION_PARAMETERS);
                List<Expression> tables = commaList(this::parseTableReference);
                return new QueryOperator.UnionOperator(spanFrom(start), parameters, tables);
            }
            case "mv-expand", "mvexpand" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(MV_EXPAND_PARAMETERS);
                List<MvExpandItem> items = commaList(this::parseMvExpandItem);
                Optional<Expression> limit = parseOptionalLimit();
                return new QueryOperator.MvExpandOperator(spanFrom(start), parameters, items, limit);
            }
            case "mv-apply", "mvapply" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(MV_APPLY_PARAMETERS);
                List<MvExpandItem> items = commaList(this::parseMvExpandItem);
                Optional<Expression> limit = parseOptionalLimit();
                expectWord("on");
                Expression subquery = parseParenthesizedPipeline();
                return new QueryOperator.MvApplyOperator(spanFrom(start), parameters, items, limit, subquery);
            }
            case "parse", "parse-where" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(PARSE_PARAMETERS);
                Expression source = parseScalar();
                expectWord("with");
                List<ParsePatternElement> pattern = parsePattern();
                if (name.equals("parse")) {
                    return new QueryOperator.ParseOperator(spanFrom(start), parameters, source, pattern);
                }
                return new QueryOperator.ParseWhereOperator(spanFrom(start), parameters, source, pattern);
            }
            case "evaluate" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(NO_PARAMETERS);
                Expression plugin = parsePostfix();
                // the output schema of a plugin: evaluate bag_unpack(d) : (a:string, *) (bag-unpack-plugin)
                Optional<TabularSchema> outputSchema = Optional.empty();
                if (at(TokenKind.COLON)) {
                    advance();
                    if (at(TokenKind.OPEN_PAREN)) {
                        outputSchema = Optional.of(parseTabularSchema());
                    } else {
                        expect(TokenKind.OPEN_PAREN, "(");
                    }
                }
                return new QueryOperator.EvaluateOperator(spanFrom(start), parameters, plugin, outputSchema);
            }
            case "make-series" -> {
                return parseMakeSeries(start);
            }
            case "render" -> {
                advance();
                String chartType = parseName();
                List<OperatorParameter> properties = List.of();
                if (atWord("with")) {
                    advance();
                    properties = parsePropertyList();
                }
                return new QueryOperator.RenderOperator(spanFrom(start), chartType, properties);
            }
            case "as" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(NO_PARAMETERS);
                String alias = parseName();
                return new QueryOperator.AsOperator(spanFrom(start), parameters, alias);
            }
            case "invoke" -> {
                advance();
                var child = parsePostfix();
                return new QueryOperator.InvokeOperator(spanFrom(start), child);
            }
            case "serialize" -> {
                advance();
                List<Expression> columns = List.of();
                if (!atOperatorEnd()) {
                    columns = namedList();
                }
                return new QueryOperator.SerializeOperator(spanFrom(start), columns);
            }
            case "search" -> {
                advance();
                List<OperatorParameter> parameters = parseParameters(SEARCH_PARAMETERS);
                List<Expression> tables = parseInTables();
                Expression predicate = parseScalar();
                return new QueryOperator.SearchOperator(spanFrom(start), parameters, tables, predicate);
            }
            case "find" -> {
                return parseFind(start);
            }
            case "getschema" -> {
                advance();
                return new QueryOperator.GetSchemaOperator(spanFrom(start));
            }
            case "sample" -> {
                advance();
                var child = parseScalar();
                return new QueryOperator.SampleOperator(spanFrom(start), child);
            }
            case "sample-distinct" -> {
                advance();
                Expression count = parseScalar();
                expectWord("of");
                Expression column = parseScalar();
                return new QueryOperator.SampleDistinctOperator(spanFrom(start), count, column);
            }
            case "externaldata", "external_data" -> {
                return parseExternalData(start);
            }
            case "datatable" -> {
                advance();
                List<ColumnDeclaration> schema = parseSchema();
                List<Expression> values = parseBracketedValues();
                return new QueryOperator.DataTableOperator(spanFrom(start), schema, values);
            }
            case "print" -> {
                advance();
                var child = namedList();
                return new QueryOperator.PrintOperator(spanFrom(start), child);
            }
            case "range" -> {
                advance();
                String column = parseName();
                expectWord("from");
                Expression from = parseScalar();
                expectWord("to");
                Expression to = parseScalar();
                expectWord("step");
                Expression step = parseScalar();
                return new QueryOperator.RangeOperator(spanFrom(start), column, from, to, step);
            }
            case "facet" -> {
                advance();
                expectWord("by");
                List<Expression> columns = commaList(this::parseColumnNameOrWildcard);
                Optional<Expression> with = Optional.empty();
                if (atWord("with")) {
                    advance();
                    if (at(TokenKind.OPEN_PAREN)) {
                        with = Optional.of(parseParenthesizedPipeline());
                    } else {
                        QueryOperator operator = parseQueryOperator();
                        with = Optional.of(new OperatorExpression(operator.span(), operator));
                    }
                }
                return new QueryOperator.FacetOperator(spanFrom(start), columns, with);
            }
            case "fork" -> {
                return parseFork(start);
            }
            default -> {
                advance();
                report(DiagnosticCode.UNKNOWN_QUERY_OPERATOR, peek(-1).span(), name);
                skipToOperatorEnd();
                Span span = spanFrom(start);
                return new QueryOperator.BadOperator(span, text.substring(span.start(), span.end()));
            }
        }
    }

    private List<Expression> namedList() {
        return commaList(this::parseNamedOrScalar);
    }

    private QueryOperator parseSummarize(int start) {
        advance();
        List<OperatorParameter> parameters = parseParameters(NO_PARAMETERS);
        List<Expression> aggregates = List.of();
        if (!atWord("by")) {
            aggregates = namedList();
        }
        List<Expression> groupBy = List.of();
        if (atWord("by")) {
            advance();
            groupBy = namedList();
        }
        return new QueryOperator.SummarizeOperator(spanFrom(start), parameters, aggregates, groupBy);
    }

    /** source: https://learn.microsoft.com/kusto/query/top-nested-operator */
    private QueryOperator parseTopNested(int start) {
        List<TopNestedClause> clauses = new ArrayList<>();
        while (true) {
            int clauseStart = start();
            expectWord("top-nested");
            Optional<Expression> count = Optional.empty();
            if (!atWord("of")) {
                count = Optional.of(parseScalar());
            }
            expectWord("of");
            Expression of = parseNamedOrScalar();
            Optional<Expression> others = Optional.empty();
            if (atWord("with")) {
                advance();
                expectWord("others");
                expect(TokenKind.EQUAL, "=");
                others = Optional.of(parseScalar());
            }
            expectWord("by");
            Expression aggregate = parseNamedOrScalar();
            Optional<SortDirection> direction = parseDirection();
            clauses.add(new TopNestedClause(spanFrom(clauseStart), count, of, others, aggregate, direction));
            if (at(TokenKind.COMMA) && atWord(1, "top-nested")) {
                advance();
            } else {
                break;
            }
        }
        return new QueryOperator.TopNestedOperator(spanFrom(start), clauses);
    }

    private List<Expression> parseJoinConditions() {
        if (atWord("on")) {
            advance();
            return commaList(this::parseScalar);
        }
        report(DiagnosticCode.MISSING_TOKEN, missingSpan(), "on");
        return List.of();
    }

    private Expression parseTableReference() {
        Optional<Expression> wildcard = tryParseWildcardName();
        if (wildcard.isPresent()) {
            return wildcard.get();
        }
        return parsePostfix();
    }

    private List<Expression> parseInTables() {
        if (atWord("in") && kind(1) == TokenKind.OPEN_PAREN) {
            advance();
            advance();
            List<Expression> tables = commaList(this::parseTableReference);
            expect(TokenKind.CLOSE_PAREN, ")");
            return tables;
        }
        return List.of();
    }

    private MvExpandItem parseMvExpandItem() {
        int start = start();
        Expression expression = parseNamedOrScalar();
        Optional<TypeReference> toType = Optional.empty();
        if (atWord("to") && atWord(1, "typeof")) {
            advance();
            TypeOf type = parseTypeOf();
            if (!type.types().isEmpty()) {
                toType = Optional.of(type.types().get(0));
            }
        }
        return new MvExpandItem(spanFrom(start), expression, toType);
    }

    private Optional<Expression> parseOptionalLimit() {
        if (atWord("limit")) {
            advance();
            return Optional.of(parseScalar());
        }
        return Optional.empty();
    }

    private List<ParsePatternElement> parsePattern() {
        List<ParsePatternElement> pattern = new ArrayList<>();
        while (true) {
            int start = start();
            if (at(TokenKind.STRING)) {
                Literal literal = parseStringLiteral();
                pattern.add(new PatternText(spanFrom(start), literal));
            } else if (at(TokenKind.STAR)) {
                advance();
                pattern.add(new PatternWildcard(spanFrom(start)));
            } else if (isNameStart()) {
                String name = parseName();
                Optional<TypeReference> type = Optional.empty();
                if (at(TokenKind.COLON)) {
                    advance();
                    type = Optional.of(parseTypeReference());
                }
                pattern.add(new PatternColumn(spanFrom(start), name, type));
            } else {
                break;
            }
        }
        if (pattern.isEmpty()) {
            report(DiagnosticCode.MISSING_EXPRESSION, missingSpan());
        }
        return pattern;
    }

    /** source: https://learn.microsoft.com/kusto/query/make-series-operator */
    private QueryOperator parseMakeSeries(int start) {
        advance();
        List<OperatorParameter> parameters = parseParameters(KIND_PARAMETER);
        List<MakeSeriesAggregate> aggregates = commaList(this::parseMakeSeriesAggregate);
        expectWord("on");
        // the axis stops before "in range(...)", which is not the in operator here
        Expression axis = parseAdditive();
        Optional<MakeSeriesRange> range = Optional.empty();
        int rangeStart = start();
        if (atWord("in")) {
            advance();
            expectWord("range");
            expect(TokenKind.OPEN_PAREN, "(");
            Expression rangeStartValue = parseScalar();
            expect(TokenKind.COMMA, ",");
            Expression stop = parseScalar();
            expect(TokenKind.COMMA, ",");
            Expression step = parseScalar();
            expect(TokenKind.CLOSE_PAREN, ")");
            range = Optional.of(new MakeSeriesInRange(spanFrom(rangeStart), rangeStartValue, stop, step));
        } else if (atWord("from") || atWord("to") || atWord("step")) {
            Optional<Expression> from = Optional.empty();
            Optional<Expression> to = Optional.empty();
            if (atWord("from")) {
                advance();
                from = Optional.of(parseScalar());
            }
            if (atWord("to")) {
                advance();
                to = Optional.of(parseScalar());
            }
            expectWord("step");
            Expression step = parseScalar();
            range = Optional.of(new MakeSeriesFromTo(spanFrom(rangeStart), from, to, step));
        }
        List<Expression> groupBy = List.of();
        if (atWord("by")) {
            advance();
            groupBy = namedList();
        }
        return new QueryOperator.MakeSeriesOperator(spanFrom(start), parameters, aggregates, axis, range, groupBy);
    }

    private MakeSeriesAggregate parseMakeSeriesAggregate() {
        int start = start();
        Expression aggregate = parseNamedOrScalar();
        Optional<Expression> defaultValue = Optional.empty();
        if (atWord("default") && kind(1) == TokenKind.EQUAL) {
            advance();
            advance();
            defaultValue = Optional.of(parseScalar());
        }
        return new MakeSeriesAggregate(spanFrom(start), aggregate, defaultValue);
    }

    private QueryOperator parseFind(int start) {
        advance();
        List<OperatorParameter> parameters = parseParameters(FIND_PARAMETERS);
        List<Expression> tables = parseInTables();
        expectWord("where");
        Expression predicate = parseScalar();
        Optional<List<Expression>> project = Optional.empty();
        if (atWord("project-smart")) {
            advance();
            project = Optional.of(List.of());
        } else if (atWord("project")) {
            advance();
            project = Optional.of(commaList(this::parseColumnNameOrWildcard));
        }
        return new QueryOperator.FindOperator(spanFrom(start), parameters, tables, predicate, project);
    }

    /** source: https://learn.microsoft.com/kusto/query/externaldata-operator */
    private QueryOperator parseExternalData(int start) {
        advance();
        List<OperatorParameter> parameters = parseParameters(KIND_PARAMETER);
        List<ColumnDeclaration> schema = parseSchema();
        List<Expression> uris = parseBracketedValues();
        List<OperatorParameter> properties = List.of();
        if (atWord("with")) {
            advance();
            properties = parsePropertyList();
        }
        return new QueryOperator.ExternalDataOperator(spanFrom(start), parameters, schema, uris, properties);
    }

    private List<ColumnDeclaration> parseSchema() {
        expect(TokenKind.OPEN_PAREN, "(");
        List<ColumnDeclaration> columns = new ArrayList<>();
        if (isNameStart()) {
            columns.addAll(commaList(this::parseColumnDeclaration));
        }
        expect(TokenKind.CLOSE_PAREN, ")");
        return columns;
    }

    /** {@code [v1, v2, ...]} of datatable and externaldata; a trailing comma is allowed. */
    private List<Expression> parseBracketedValues() {
        expect(TokenKind.OPEN_BRACKET, "[");
        List<Expression> values = new ArrayList<>();
        while (!at(TokenKind.CLOSE_BRACKET) && !at(TokenKind.END_OF_FILE)) {
            int before = index;
            values.add(parseScalar());
            if (!at(TokenKind.COMMA) || index == before) {
                break;
            }
            advance();
        }
        expect(TokenKind.CLOSE_BRACKET, "]");
        return values;
    }

    /** source: https://learn.microsoft.com/kusto/query/fork-operator */
    private QueryOperator parseFork(int start) {
        advance();
        List<Expression> branches = new ArrayList<>();
        while (at(TokenKind.OPEN_PAREN) || (at(TokenKind.IDENTIFIER) && kind(1) == TokenKind.EQUAL)) {
            int branchStart = start();
            if (at(TokenKind.IDENTIFIER)) {
                String name = advance().text();
                advance();
                Expression branch = parseParenthesizedPipeline();
                branches.add(new NamedExpression(spanFrom(branchStart), List.of(name), branch));
            } else {
                branches.add(parseParenthesizedPipeline());
            }
        }
        if (branches.isEmpty()) {
            report(DiagnosticCode.MISSING_TOKEN, missingSpan(), "(");
        }
        return new QueryOperator.ForkOperator(spanFrom(start), branches);
    }
}
