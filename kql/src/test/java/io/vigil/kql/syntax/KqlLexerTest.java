package io.vigil.kql.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KqlLexerTest {
    private static List<Token> tokens(String text) {
        List<Token> tokens = KqlLexer.tokenize(text).tokens();
        return tokens.subList(0, tokens.size() - 1);
    }

    private static List<TokenKind> kinds(String text) {
        return tokens(text).stream().map(Token::kind).toList();
    }

    private static List<String> texts(String text) {
        return tokens(text).stream().map(Token::text).toList();
    }

    @Test
    void triviaAndTextReproduceTheSource() {
        String source = "T // comment\n| where x  !has \"a\" ; ";
        StringBuilder rebuilt = new StringBuilder();
        for (Token token : KqlLexer.tokenize(source).tokens()) {
            rebuilt.append(token.trivia()).append(token.text());
        }
        assertThat(rebuilt.toString()).isEqualTo(source);
    }

    @Test
    void stringOperatorsAreSingleTokens() {
        assertThat(texts("a !has b has_cs c !contains_cs d in~ e !in~ f !in g matches  regex h !between i"))
                .containsExactly(
                        "a",
                        "!has",
                        "b",
                        "has_cs",
                        "c",
                        "!contains_cs",
                        "d",
                        "in~",
                        "e",
                        "!in~",
                        "f",
                        "!in",
                        "g",
                        "matches  regex",
                        "h",
                        "!between",
                        "i");
        assertThat(kinds("x !startswith y"))
                .containsExactly(TokenKind.IDENTIFIER, TokenKind.WORD_OPERATOR, TokenKind.IDENTIFIER);
    }

    @Test
    void dashedKeywordsMergeOnlyWhenKnown() {
        assertThat(texts("project-away mv-expand make-series top-nested a-b"))
                .containsExactly("project-away", "mv-expand", "make-series", "top-nested", "a", "-", "b");
    }

    @Test
    void numbersAndTimespans() {
        assertThat(kinds("1 2.5 1e3 1.5e-3 0x1F 1d 30m 5s 100ms 1.5h 10tick 2microseconds"))
                .containsExactly(
                        TokenKind.LONG,
                        TokenKind.REAL,
                        TokenKind.REAL,
                        TokenKind.REAL,
                        TokenKind.LONG,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN,
                        TokenKind.TIMESPAN);
        assertThat(kinds("1..5")).containsExactly(TokenKind.LONG, TokenKind.DOT_DOT, TokenKind.LONG);
    }

    @Test
    void stringForms() {
        assertThat(kinds("\"a\\\"b\" 'c' @\"d\"\"e\" @'f' ```g\nh``` h\"i\" H@'j'"))
                .containsOnly(TokenKind.STRING)
                .hasSize(7);
        assertThat(KqlLexer.stringValue("\"a\\\"b\\n\"")).isEqualTo("a\"b\n");
        assertThat(KqlLexer.stringValue("'it\\'s'")).isEqualTo("it's");
        assertThat(KqlLexer.stringValue("@\"C:\\x\"\"\"")).isEqualTo("C:\\x\"");
        assertThat(KqlLexer.stringValue("```a\nb```")).isEqualTo("a\nb");
        assertThat(KqlLexer.stringValue("h'secret'")).isEqualTo("secret");
    }

    @Test
    void typedLiteralsAreSingleTokens() {
        assertThat(
                        texts(
                                "datetime(2020-01-01 10:00) timespan(1.02:03:04) guid(00000000-0000-0000-0000-000000000000) int(null)"))
                .containsExactly(
                        "datetime(2020-01-01 10:00)",
                        "timespan(1.02:03:04)",
                        "guid(00000000-0000-0000-0000-000000000000)",
                        "int(null)");
        assertThat(kinds("x:datetime)"))
                .containsExactly(TokenKind.IDENTIFIER, TokenKind.COLON, TokenKind.IDENTIFIER, TokenKind.CLOSE_PAREN);
    }

    @Test
    void punctuation() {
        assertThat(kinds("== != =~ !~ <> => .. | ! < <= > >="))
                .containsExactly(
                        TokenKind.EQUAL_EQUAL,
                        TokenKind.BANG_EQUAL,
                        TokenKind.EQUAL_TILDE,
                        TokenKind.BANG_TILDE,
                        TokenKind.LESS_GREATER,
                        TokenKind.FAT_ARROW,
                        TokenKind.DOT_DOT,
                        TokenKind.PIPE,
                        TokenKind.BANG,
                        TokenKind.LESS,
                        TokenKind.LESS_EQUAL,
                        TokenKind.GREATER,
                        TokenKind.GREATER_EQUAL);
        assertThat(texts("$left.a == $right.b")).containsExactly("$left", ".", "a", "==", "$right", ".", "b");
    }

    @Test
    void badCharactersBecomeErrorTokens() {
        KqlLexer.Result result = KqlLexer.tokenize("a # b");
        assertThat(result.tokens()).extracting(Token::kind).contains(TokenKind.ERROR);
        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly(DiagnosticCode.INVALID_CHARACTER);
    }
}
