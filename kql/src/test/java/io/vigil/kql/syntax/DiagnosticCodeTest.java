package io.vigil.kql.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One test per diagnostic code: the code, its span and its line and column. */
class DiagnosticCodeTest {
    private static Diagnostic only(String query, DiagnosticCode code) {
        ParseResult result = KqlParser.parse(query);
        assertThat(result.script()).isNotNull();
        assertThat(result.diagnostics()).as("diagnostics of %s", query).isNotEmpty();
        Diagnostic diagnostic = result.diagnostics().get(0);
        assertThat(diagnostic.code())
                .as("first diagnostic of %s: %s", query, result.diagnostics())
                .isEqualTo(code);
        return diagnostic;
    }

    @Test
    void codesAreStableAndUnique() {
        Set<String> codes =
                Arrays.stream(DiagnosticCode.values()).map(DiagnosticCode::code).collect(Collectors.toSet());
        assertThat(codes).hasSize(DiagnosticCode.values().length);
        // KQL1xx parser, KQL2xx binder, KQL3xx run time (a query that compiled and failed on a value)
        assertThat(codes).allMatch(code -> code.matches("KQL[123]\\d\\d"));
        assertThat(DiagnosticCode.UNEXPECTED_TOKEN.code()).isEqualTo("KQL101");
        assertThat(DiagnosticCode.MISSING_EXPRESSION.code()).isEqualTo("KQL102");
        assertThat(DiagnosticCode.UNTERMINATED_STRING.code()).isEqualTo("KQL103");
        assertThat(DiagnosticCode.UNKNOWN_QUERY_OPERATOR.code()).isEqualTo("KQL104");
    }

    @Test
    void unexpectedToken() {
        Diagnostic diagnostic = only("T | where a b", DiagnosticCode.UNEXPECTED_TOKEN);
        assertThat(diagnostic.span()).isEqualTo(new Span(12, 13));
        assertThat(diagnostic.message()).isEqualTo("Unexpected token 'b'");
        assertThat(diagnostic.severity()).isEqualTo(Severity.ERROR);
    }

    @Test
    void missingExpression() {
        Diagnostic diagnostic = only("T\n| where x ==\n| take 1", DiagnosticCode.MISSING_EXPRESSION);
        // placed right after "==", where the operand is missing
        assertThat(diagnostic.span()).isEqualTo(Span.empty(14));
        assertThat(diagnostic.line()).isEqualTo(2);
        assertThat(diagnostic.column()).isEqualTo(13);
        assertThat(diagnostic.span().isEmpty()).isTrue();
    }

    @Test
    void unterminatedString() {
        Diagnostic diagnostic = only("print \"abc\nT", DiagnosticCode.UNTERMINATED_STRING);
        assertThat(diagnostic.span()).isEqualTo(new Span(6, 10));
        assertThat(diagnostic.line()).isEqualTo(1);
        assertThat(diagnostic.column()).isEqualTo(7);
    }

    @Test
    void unknownQueryOperatorRecoversAtNextPipe() {
        ParseResult result = KqlParser.parse("T | frobnicate x y z | take 1");
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic diagnostic = result.diagnostics().get(0);
        assertThat(diagnostic.code()).isEqualTo(DiagnosticCode.UNKNOWN_QUERY_OPERATOR);
        assertThat(diagnostic.span()).isEqualTo(new Span(4, 14));
        assertThat(diagnostic.message()).isEqualTo("Unknown query operator 'frobnicate'");
        Expression expression =
                ((Statement.ExpressionStatement) result.script().statements().get(0)).expression();
        assertThat(expression).isInstanceOf(Expression.Pipe.class);
        assertThat(((Expression.Pipe) expression).operator()).isInstanceOf(QueryOperator.TakeOperator.class);
    }

    @Test
    void invalidCharacter() {
        ParseResult result = KqlParser.parse("T | where a # == 1");
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic diagnostic = result.diagnostics().get(0);
        assertThat(diagnostic.code()).isEqualTo(DiagnosticCode.INVALID_CHARACTER);
        assertThat(diagnostic.span()).isEqualTo(new Span(12, 13));
        assertThat(diagnostic.message()).isEqualTo("Invalid character '#'");
    }

    @Test
    void missingToken() {
        Diagnostic diagnostic = only("T | sort State", DiagnosticCode.MISSING_TOKEN);
        assertThat(diagnostic.message()).isEqualTo("Expected 'by'");
    }

    @Test
    void missingName() {
        only("let = 1; T", DiagnosticCode.UNEXPECTED_TOKEN);
        Diagnostic diagnostic = only("T | extend a = b.", DiagnosticCode.MISSING_NAME);
        assertThat(diagnostic.span()).isEqualTo(Span.empty(17));
    }

    @Test
    void missingQueryOperator() {
        Diagnostic diagnostic = only("T | | take 1", DiagnosticCode.MISSING_QUERY_OPERATOR);
        assertThat(diagnostic.span()).isEqualTo(Span.empty(3));
    }

    @Test
    void missingType() {
        only("T | parse x with a:", DiagnosticCode.MISSING_TYPE);
    }

    @Test
    void invalidLiteral() {
        Diagnostic diagnostic = only("print 12abc", DiagnosticCode.INVALID_LITERAL);
        assertThat(diagnostic.message()).isEqualTo("Invalid numeric literal");
        only("print datetime(2020-01-01", DiagnosticCode.INVALID_LITERAL);
    }

    @Test
    void nestingTooDeep() {
        ParseResult result = KqlParser.parse("print " + "(".repeat(5000) + "1" + ")".repeat(5000));
        assertThat(result.diagnostics()).extracting(Diagnostic::code).contains(DiagnosticCode.NESTING_TOO_DEEP);
    }

    @Test
    void everyCodeIsCoveredByATest() {
        Set<DiagnosticCode> covered = EnumSet.of(
                DiagnosticCode.UNEXPECTED_TOKEN,
                DiagnosticCode.MISSING_EXPRESSION,
                DiagnosticCode.UNTERMINATED_STRING,
                DiagnosticCode.UNKNOWN_QUERY_OPERATOR,
                DiagnosticCode.INVALID_CHARACTER,
                DiagnosticCode.MISSING_TOKEN,
                DiagnosticCode.MISSING_NAME,
                DiagnosticCode.MISSING_QUERY_OPERATOR,
                DiagnosticCode.MISSING_TYPE,
                DiagnosticCode.INVALID_LITERAL,
                DiagnosticCode.NESTING_TOO_DEEP);
        // the binder's KQL2xx codes are covered by io.vigil.kql.binder.BinderDiagnosticsTest
        assertThat(covered)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(DiagnosticCode.values())
                        .filter(code -> code.code().startsWith("KQL1"))
                        .toList());
    }
}
