package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sigma condition: search identifiers combined with {@code and}, {@code or}, {@code not} and parentheses,
 * and the quantifiers {@code 1 of x*}, {@code all of x*}, {@code 1 of them}, {@code all of them}. Precedence
 * (high to low): not, and, or, as the specification orders them.
 */
sealed interface SigmaCondition {
    record Identifier(String name) implements SigmaCondition {
        public Identifier {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code 1 of} ({@code all} false) or {@code all of} the searches whose names match {@code pattern}; "them" = all. */
    record Quantified(boolean all, String pattern) implements SigmaCondition {
        public Quantified {
            requireNonNull(pattern, "pattern is null");
        }
    }

    record Not(SigmaCondition operand) implements SigmaCondition {
        public Not {
            requireNonNull(operand, "operand is null");
        }
    }

    record And(SigmaCondition left, SigmaCondition right) implements SigmaCondition {
        public And {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    record Or(SigmaCondition left, SigmaCondition right) implements SigmaCondition {
        public Or {
            requireNonNull(left, "left is null");
            requireNonNull(right, "right is null");
        }
    }

    static SigmaCondition parse(String text) {
        return new Parser(text).parseAll();
    }

    /** Recursive descent over whitespace-separated words and parentheses. */
    final class Parser {
        private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[^\\s()]+)");

        private final String text;
        private final List<String> tokens = new ArrayList<>();
        private int position;

        Parser(String text) {
            this.text = text;
            Matcher matcher = TOKEN.matcher(text);
            int end = 0;
            while (matcher.find() && matcher.start() == end) {
                tokens.add(matcher.group(1));
                end = matcher.end();
            }
        }

        SigmaCondition parseAll() {
            if (text.contains("|")) {
                throw error("aggregation expressions ('| count() …') are deprecated; use a correlation rule");
            }
            if (tokens.isEmpty()) {
                throw error("the condition is empty");
            }
            SigmaCondition condition = or();
            if (position < tokens.size()) {
                throw error("unexpected '" + tokens.get(position) + "'");
            }
            return condition;
        }

        private SigmaCondition or() {
            SigmaCondition left = and();
            while (accept("or")) {
                left = new Or(left, and());
            }
            return left;
        }

        private SigmaCondition and() {
            SigmaCondition left = not();
            while (accept("and")) {
                left = new And(left, not());
            }
            return left;
        }

        private SigmaCondition not() {
            if (accept("not")) {
                return new Not(not());
            }
            return primary();
        }

        private SigmaCondition primary() {
            if (position >= tokens.size()) {
                throw error("the condition ends early");
            }
            String token = tokens.get(position++);
            if (token.equals("(")) {
                SigmaCondition inner = or();
                if (!accept(")")) {
                    throw error("a '(' is not closed");
                }
                return inner;
            }
            String lower = token.toLowerCase(Locale.ROOT);
            if ((lower.equals("1") || lower.equals("all")) && accept("of")) {
                if (position >= tokens.size()) {
                    throw error("'" + token + " of' needs a name pattern or 'them'");
                }
                String pattern = tokens.get(position++);
                return new Quantified(lower.equals("all"), pattern);
            }
            if (token.equals(")") || isKeyword(lower)) {
                throw error("unexpected '" + token + "'");
            }
            return new Identifier(token);
        }

        private boolean accept(String word) {
            if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(word)) {
                position++;
                return true;
            }
            return false;
        }

        private static boolean isKeyword(String word) {
            return word.equals("and") || word.equals("or") || word.equals("not") || word.equals("of");
        }

        private SigmaConversionException error(String message) {
            return new SigmaConversionException(
                    SigmaError.Code.INVALID_CONDITION, "condition '" + text.strip() + "': " + message);
        }
    }
}
