package io.vigil.app;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of OData's {@code $filter} and {@code $orderby} that scripts written for Sentinel's incident list use
 * (https://learn.microsoft.com/rest/api/securityinsights/incidents/list, OData v4 URL conventions), over the
 * resource's JSON as the API answers it: comparisons {@code eq ne gt ge lt le} of a property path with a
 * literal ({@code 'text'}, a number, a date-time, {@code true}, {@code false}, {@code null}), {@code contains},
 * {@code startswith} and {@code endswith} of a text property, {@code and}, {@code or}, {@code not} and
 * parentheses. Properties are declared with a type; anything else (an unknown property, a lambda such as
 * {@code any()}, an ordering comparison of text) is an {@link Invalid} with its position, never ignored.
 */
final class ODataFilter {
    /** How a property compares. Enumerations (status, severity) compare ignoring case, as Sentinel reads them. */
    enum Type {
        TEXT,
        ENUMERATION,
        NUMBER,
        TIME
    }

    /** A filter, or the reason it cannot be applied. */
    sealed interface Parsed permits Filter, Invalid {}

    record Invalid(String message) implements Parsed, ParsedOrder {
        Invalid {
            requireNonNull(message, "message is null");
        }
    }

    /** A parsed {@code $filter}. */
    record Filter(Expression expression) implements Parsed {
        Filter {
            requireNonNull(expression, "expression is null");
        }

        boolean matches(JsonNode resource) {
            return evaluate(expression, resource);
        }
    }

    sealed interface Expression {}

    record And(Expression left, Expression right) implements Expression {}

    record Or(Expression left, Expression right) implements Expression {}

    record Not(Expression operand) implements Expression {}

    record Comparison(String property, Type type, Operator operator, Object literal) implements Expression {}

    record TextFunction(String function, String property, Type type, String text) implements Expression {}

    enum Operator {
        EQ,
        NE,
        GT,
        GE,
        LT,
        LE
    }

    /** One {@code $orderby} key. */
    record Order(String property, Type type, boolean descending) {}

    /** A parsed {@code $orderby}, or the reason it cannot be applied. */
    sealed interface ParsedOrder permits Ordering, Invalid {}

    record Ordering(List<Order> keys) implements ParsedOrder {
        Ordering {
            keys = List.copyOf(keys);
        }

        Comparator<JsonNode> comparator() {
            Comparator<JsonNode> all = (left, right) -> 0;
            for (Order key : keys) {
                Comparator<JsonNode> one = (left, right) -> compareValues(
                        value(left, key.property(), key.type()), value(right, key.property(), key.type()));
                if (key.descending()) {
                    one = one.reversed();
                }
                all = all.thenComparing(one);
            }
            return all;
        }
    }

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:"
            + "(?<time>\\d{4}-\\d{2}-\\d{2}T[0-9:.]+(?:Z|[+-]\\d{2}:\\d{2}))"
            + "|(?<number>-?\\d+(?:\\.\\d+)?)"
            + "|(?<prefixed>datetime(?:offset)?'[^']*')"
            + "|(?<text>'(?:[^']|'')*')"
            + "|(?<name>[A-Za-z_][A-Za-z0-9_]*(?:/[A-Za-z_][A-Za-z0-9_]*)*)"
            + "|(?<symbol>[(),:])"
            + ")");

    private final Map<String, Type> properties;

    /** @param properties the filterable property paths ({@code properties/status}) and their types */
    ODataFilter(Map<String, Type> properties) {
        this.properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    Parsed parseFilter(String text) {
        List<Token> tokens = new ArrayList<>();
        Optional<String> lexError = tokenize(text, tokens);
        if (lexError.isPresent()) {
            return new Invalid(lexError.get());
        }
        Parser parser = new Parser(text, tokens);
        try {
            Expression expression = parser.or();
            if (!parser.atEnd()) {
                throw parser.failure("expected 'and', 'or' or the end of the filter");
            }
            return new Filter(expression);
        } catch (FilterException e) {
            return new Invalid(e.getMessage());
        }
    }

    ParsedOrder parseOrder(String text) {
        List<Order> keys = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String[] words = part.strip().split("\\s+");
            if (words.length == 0 || words.length > 2 || words[0].isEmpty()) {
                return new Invalid(
                        "$orderby: expected 'property [asc|desc]' separated by commas, not '" + part.strip() + "'");
            }
            Type type = properties.get(words[0]);
            if (type == null) {
                return new Invalid("$orderby: unknown or unsupported property '" + words[0] + "'; supported: "
                        + String.join(
                                ", ", properties.keySet().stream().sorted().toList()));
            }
            boolean descending = false;
            if (words.length == 2) {
                switch (words[1].toLowerCase(Locale.ROOT)) {
                    case "asc" -> descending = false;
                    case "desc" -> descending = true;
                    default -> {
                        return new Invalid(
                                "$orderby: expected asc or desc after " + words[0] + ", not '" + words[1] + "'");
                    }
                }
            }
            keys.add(new Order(words[0], type, descending));
        }
        return new Ordering(keys);
    }

    private record Token(String kind, String text, int position) {}

    private static Optional<String> tokenize(String text, List<Token> tokens) {
        Matcher matcher = TOKEN.matcher(text);
        int position = 0;
        while (position < text.length()) {
            if (text.substring(position).isBlank()) {
                break;
            }
            matcher.region(position, text.length());
            if (!matcher.lookingAt()) {
                int at = position;
                while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                return Optional.of("$filter: unexpected '" + text.charAt(at) + "' at position " + (at + 1)
                        + " (supported: comparisons eq ne gt ge lt le, contains/startswith/endswith, and, or,"
                        + " not, parentheses)");
            }
            for (String kind : List.of("time", "number", "prefixed", "text", "name", "symbol")) {
                if (matcher.group(kind) != null) {
                    tokens.add(new Token(kind, matcher.group(kind), matcher.start(kind) + 1));
                    break;
                }
            }
            position = matcher.end();
        }
        return Optional.empty();
    }

    private static final class FilterException extends Exception {
        FilterException(String message) {
            super(message, null, false, false);
        }
    }

    /** Recursive descent: or → and → unary → primary, OData's precedence. */
    private final class Parser {
        private final String text;
        private final List<Token> tokens;
        private int next;

        Parser(String text, List<Token> tokens) {
            this.text = text;
            this.tokens = tokens;
        }

        boolean atEnd() {
            return next == tokens.size();
        }

        FilterException failure(String message) {
            if (atEnd()) {
                return new FilterException("$filter: " + message + " at the end of '" + text + "'");
            }
            Token token = tokens.get(next);
            return new FilterException(
                    "$filter: " + message + ", found '" + token.text() + "' at position " + token.position());
        }

        private boolean word(String word) {
            if (!atEnd()
                    && tokens.get(next).kind().equals("name")
                    && tokens.get(next).text().equals(word)) {
                next++;
                return true;
            }
            return false;
        }

        private boolean symbol(String symbol) {
            if (!atEnd()
                    && tokens.get(next).kind().equals("symbol")
                    && tokens.get(next).text().equals(symbol)) {
                next++;
                return true;
            }
            return false;
        }

        Expression or() throws FilterException {
            Expression left = and();
            while (word("or")) {
                left = new Or(left, and());
            }
            return left;
        }

        Expression and() throws FilterException {
            Expression left = unary();
            while (word("and")) {
                left = new And(left, unary());
            }
            return left;
        }

        Expression unary() throws FilterException {
            if (word("not")) {
                return new Not(unary());
            }
            if (symbol("(")) {
                Expression inner = or();
                if (!symbol(")")) {
                    throw failure("expected ')'");
                }
                return inner;
            }
            return primary();
        }

        Expression primary() throws FilterException {
            if (atEnd() || !tokens.get(next).kind().equals("name")) {
                throw failure("expected a property or contains/startswith/endswith");
            }
            Token name = tokens.get(next++);
            if (symbol("(")) {
                String function = name.text();
                if (function.endsWith("/any") || function.endsWith("/all")) {
                    throw new FilterException("$filter: the lambda operator " + function + "(…) at position "
                            + name.position() + " is not supported");
                }
                if (!List.of("contains", "startswith", "endswith").contains(function)) {
                    throw new FilterException("$filter: function '" + function + "' at position " + name.position()
                            + " is not supported (supported: contains, startswith, endswith)");
                }
                Token propertyToken = expectName();
                Type type = property(propertyToken);
                if (type != Type.TEXT && type != Type.ENUMERATION) {
                    throw new FilterException(
                            "$filter: " + function + " takes a text property, not '" + propertyToken.text() + "'");
                }
                if (!symbol(",")) {
                    throw failure("expected ','");
                }
                if (atEnd() || !tokens.get(next).kind().equals("text")) {
                    throw failure("expected a 'text' literal");
                }
                String literal = unquote(tokens.get(next++).text());
                if (!symbol(")")) {
                    throw failure("expected ')'");
                }
                return new TextFunction(function, propertyToken.text(), type, literal);
            }
            Type type = property(name);
            if (atEnd() || !tokens.get(next).kind().equals("name")) {
                throw failure("expected eq, ne, gt, ge, lt or le after " + name.text());
            }
            Token operatorToken = tokens.get(next);
            Operator operator;
            try {
                operator = Operator.valueOf(operatorToken.text().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw failure("expected eq, ne, gt, ge, lt or le after " + name.text());
            }
            if (!operatorToken.text().equals(operatorToken.text().toLowerCase(Locale.ROOT))) {
                throw failure("operators are lower case in OData");
            }
            next++;
            Object literal = literal(name.text(), type, operator);
            return new Comparison(name.text(), type, operator, literal);
        }

        private Token expectName() throws FilterException {
            if (atEnd() || !tokens.get(next).kind().equals("name")) {
                throw failure("expected a property");
            }
            return tokens.get(next++);
        }

        private Type property(Token name) throws FilterException {
            Type type = properties.get(name.text());
            if (type == null) {
                throw new FilterException("$filter: unknown or unsupported property '" + name.text()
                        + "' at position " + name.position() + "; supported: "
                        + String.join(
                                ", ", properties.keySet().stream().sorted().toList()));
            }
            return type;
        }

        /** The literal after a comparison operator, checked against the property's type. */
        private Object literal(String property, Type type, Operator operator) throws FilterException {
            if (atEnd()) {
                throw failure("expected a literal");
            }
            Token token = tokens.get(next);
            if (token.kind().equals("name") && token.text().equals("null")) {
                next++;
                if (operator != Operator.EQ && operator != Operator.NE) {
                    throw new FilterException("$filter: null compares only with eq or ne (" + property + ")");
                }
                return NULL;
            }
            if (type != Type.NUMBER && type != Type.TIME && operator != Operator.EQ && operator != Operator.NE) {
                throw new FilterException("$filter: " + operator.name().toLowerCase(Locale.ROOT) + " on the text"
                        + " property " + property + " is not supported (eq, ne, contains, startswith, endswith are)");
            }
            Object value = switch (type) {
                case TEXT, ENUMERATION -> token.kind().equals("text") ? unquote(token.text()) : null;
                case NUMBER -> token.kind().equals("number") ? new BigDecimal(token.text()) : null;
                case TIME -> time(token);
            };
            if (value == null) {
                throw failure("expected a " + describe(type) + " literal for " + property);
            }
            next++;
            return value;
        }

        private Instant time(Token token) {
            String text = switch (token.kind()) {
                case "time" -> token.text();
                case "prefixed" ->
                    token.text()
                            .substring(
                                    token.text().indexOf('\'') + 1, token.text().length() - 1);
                // written as text by some scripts: accepted when it is a date-time
                case "text" -> unquote(token.text());
                default -> null;
            };
            if (text == null) {
                return null;
            }
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
    }

    private static String describe(Type type) {
        return switch (type) {
            case TEXT, ENUMERATION -> "'text'";
            case NUMBER -> "number";
            case TIME -> "date-time (2026-01-01T00:00:00Z)";
        };
    }

    /** OData's {@code null} literal. */
    private enum NullLiteral {
        NULL
    }

    private static final Object NULL = NullLiteral.NULL;

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("''", "'");
    }

    private static boolean evaluate(Expression expression, JsonNode resource) {
        return switch (expression) {
            case And and -> evaluate(and.left(), resource) && evaluate(and.right(), resource);
            case Or or -> evaluate(or.left(), resource) || evaluate(or.right(), resource);
            case Not not -> !evaluate(not.operand(), resource);
            case TextFunction function -> {
                Object value = value(resource, function.property(), function.type());
                if (!(value instanceof String text)) {
                    yield false;
                }
                Function<String, String> fold = Function.identity();
                if (function.type() == Type.ENUMERATION) {
                    fold = word -> word.toLowerCase(Locale.ROOT);
                }
                String folded = fold.apply(text);
                String literal = fold.apply(function.text());
                yield switch (function.function()) {
                    case "contains" -> folded.contains(literal);
                    case "startswith" -> folded.startsWith(literal);
                    case "endswith" -> folded.endsWith(literal);
                    default -> throw new IllegalStateException("function outside the parser " + function.function());
                };
            }
            case Comparison comparison ->
                compare(comparison, value(resource, comparison.property(), comparison.type()));
        };
    }

    private static boolean compare(Comparison comparison, Object value) {
        Object literal = comparison.literal();
        if (literal == NULL || value == null) {
            boolean equal = literal == NULL && value == null;
            return switch (comparison.operator()) {
                case EQ -> equal;
                case NE -> !equal;
                // an ordering comparison with a missing value is false, as in OData
                case GT, GE, LT, LE -> false;
            };
        }
        int order;
        if (comparison.type() == Type.ENUMERATION) {
            order = ((String) value).compareToIgnoreCase((String) literal);
        } else {
            order = compareValues(value, literal);
        }
        return switch (comparison.operator()) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
        };
    }

    @SuppressWarnings("unchecked")
    private static int compareValues(Object left, Object right) {
        // missing values sort first, as OData orders null lowest
        if (left == null || right == null) {
            if (left == right) {
                return 0;
            }
            return left == null ? -1 : 1;
        }
        if (left instanceof BigDecimal number && right instanceof BigDecimal other) {
            return number.compareTo(other);
        }
        return ((Comparable<Object>) left).compareTo(right);
    }

    /** The value at a path of the resource as a comparable: text, a number, an instant; null when absent. */
    private static Object value(JsonNode resource, String property, Type type) {
        JsonNode node = resource;
        for (String step : property.split("/")) {
            node = node.path(step);
        }
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return switch (type) {
            case TEXT, ENUMERATION -> node.asText();
            case NUMBER -> node.isNumber() ? node.decimalValue() : null;
            case TIME -> {
                try {
                    yield OffsetDateTime.parse(node.asText()).toInstant();
                } catch (DateTimeParseException e) {
                    yield null;
                }
            }
        };
    }
}
