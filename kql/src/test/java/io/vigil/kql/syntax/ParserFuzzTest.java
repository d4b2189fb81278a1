package io.vigil.kql.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.SentinelCorpus;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser never throws: truncated, mutated and random variants of corpus queries always give a
 * tree and diagnostics whose spans lie inside the text. A fixed seed keeps failures reproducible.
 */
class ParserFuzzTest {
    private static final String ALPHABET = "|()[]{}.,;:=!~<>+-*/%\"'`@$ \nabc123_";

    @Test
    void truncatedAndMutatedCorpusQueriesNeverThrow() {
        Random random = new Random(20_261_125L);
        List<SentinelCorpus.Rule> rules = SentinelCorpus.rules();
        int runs = 0;
        for (SentinelCorpus.Rule rule : rules) {
            String query = rule.query();
            for (int variant = 0; variant < 4; variant++) {
                check(query.substring(0, random.nextInt(query.length() + 1)));
                check(mutate(query, random));
                runs += 2;
            }
        }
        assertThat(runs).isGreaterThan(1000);
    }

    @Test
    void randomTextNeverThrows() {
        Random random = new Random(7L);
        for (int run = 0; run < 500; run++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(80);
            for (int index = 0; index < length; index++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            check(text.toString());
        }
        check("");
        check("\uFFFD\u0000\uD800");
        checkWithoutDump("T | where " + "a and ".repeat(3000) + "b");
        checkWithoutDump("T | where " + "a or b and ".repeat(2000) + "c");
        check("let f = () {".repeat(500));
        check("T | mv-apply x on (".repeat(500));
        check("print dynamic(" + "[".repeat(3000));
    }

    private static String mutate(String query, Random random) {
        StringBuilder mutated = new StringBuilder(query);
        int edits = 1 + random.nextInt(5);
        for (int edit = 0; edit < edits && !mutated.isEmpty(); edit++) {
            int position = random.nextInt(mutated.length());
            switch (random.nextInt(3)) {
                case 0 -> mutated.deleteCharAt(position);
                case 1 -> mutated.insert(position, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                default -> mutated.setCharAt(position, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return mutated.toString();
    }

    /** Long flat chains: the parser and printer are iterative there; the debug dump is not. */
    private static void checkWithoutDump(String text) {
        ParseResult result = KqlParser.parse(text);
        assertThat(result.diagnostics()).isEmpty();
        String printed = KqlPrinter.print(result.script());
        assertThat(KqlParser.parse(printed).diagnostics()).isEmpty();
    }

    private static void check(String text) {
        ParseResult result = KqlParser.parse(text);
        assertThat(result.script()).isNotNull();
        assertThat(result.script().span()).isEqualTo(new Span(0, text.length()));
        for (Diagnostic diagnostic : result.diagnostics()) {
            assertThat(diagnostic.span().end())
                    .as("diagnostic %s in %s", diagnostic, text)
                    .isLessThanOrEqualTo(text.length());
        }
        // printing an error tree must not throw either
        KqlPrinter.print(result.script());
        SyntaxDumper.dump(result.script(), true);
    }
}
