package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.BinaryOperator;
import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.Span;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.ColumnReference;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import io.vigil.spi.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Scalar expressions: literals, names, unary and binary operators with KQL's typing rules, member and element access (scalar-data-types, arithmetic operators, string operators). */
final class ScalarBinder {
    private final Binder binder;

    ScalarBinder(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    ScalarExpression condition(Expression expression, RowScope scope) {
        return toBool(scalar(expression, scope), expression.span());
    }

    ScalarExpression toBool(ScalarExpression value, Span span) {
        if (value.type() == ColumnType.BOOL) {
            return value;
        }
        if (value.type() == ColumnType.DYNAMIC) {
            return binder.conversions.convert(value, ColumnType.BOOL);
        }
        throw binder.error(
                DiagnosticCode.TYPE_MISMATCH,
                span,
                "Expected a bool expression, got " + value.type().kqlName());
    }

    static Call call(ScalarFunction function, ColumnType type, ScalarExpression... arguments) {
        return new Call(function, List.of(arguments), type);
    }

    ScalarExpression scalar(Expression expression, RowScope scope) {
        return switch (expression) {
            case Expression.Literal literal -> literal(literal);
            case Expression.NameReference name -> name(name, scope);
            case Expression.Parenthesized parenthesized -> {
                if (binder.isTabular(parenthesized.expression())) {
                    throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
                }
                yield scalar(parenthesized.expression(), scope);
            }
            case Expression.Unary unary -> unary(unary, scope);
            case Expression.Binary binary -> binary(binary, scope);
            case Expression.In in -> binder.ins.in(in, scope);
            case Expression.Between between -> binder.ins.between(between, scope);
            case Expression.FunctionCall call -> binder.functions.function(call, scope);
            case Expression.MemberAccess member -> member(member, scope);
            case Expression.ElementAccess element -> element(element, scope);
            case Expression.DynamicLiteral dynamic -> new Constant(ColumnType.DYNAMIC, json(dynamic.value()));
            case Expression.Missing missing -> throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.WildcardName wildcard ->
                throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.Star star -> throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.NamedExpression named ->
                throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.DynamicArray array -> new Constant(ColumnType.DYNAMIC, json(array));
            case Expression.DynamicObject object -> new Constant(ColumnType.DYNAMIC, json(object));
            case Expression.TypeOf typeOf -> throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.FunctionDeclaration declaration ->
                throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.Pipe pipe -> throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
            case Expression.OperatorExpression operator ->
                throw binder.error(DiagnosticCode.EXPECTED_SCALAR, expression.span());
        };
    }

    ScalarExpression literal(Expression.Literal literal) {
        String value = literal.value();
        boolean isNull = value.strip().equals("null");
        try {
            return switch (literal.kind()) {
                case STRING -> Constant.ofString(value);
                case LONG -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.LONG);
                    }
                    yield Constant.ofLong(parseLong(value));
                }
                case INT -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.INT);
                    }
                    yield new Constant(ColumnType.INT, Math.toIntExact(parseLong(value)));
                }
                case REAL, DECIMAL -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.REAL);
                    }
                    yield new Constant(ColumnType.REAL, Double.parseDouble(value.strip()));
                }
                case BOOLEAN -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.BOOL);
                    }
                    String text = value.strip().toLowerCase(Locale.ROOT);
                    if (!text.equals("true") && !text.equals("false")) {
                        throw binder.error(DiagnosticCode.INVALID_VALUE, literal.span(), "bool", value);
                    }
                    yield Constant.ofBool(text.equals("true"));
                }
                case DATETIME -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.DATETIME);
                    }
                    Optional<Instant> instant = LiteralValues.datetime(value);
                    if (instant.isEmpty()) {
                        throw binder.error(DiagnosticCode.INVALID_VALUE, literal.span(), "datetime", value);
                    }
                    yield new Constant(ColumnType.DATETIME, instant.get());
                }
                case TIMESPAN -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.TIMESPAN);
                    }
                    Optional<Duration> duration = LiteralValues.timespan(value);
                    if (duration.isEmpty()) {
                        throw binder.error(DiagnosticCode.INVALID_VALUE, literal.span(), "timespan", value);
                    }
                    yield new Constant(ColumnType.TIMESPAN, duration.get());
                }
                case GUID -> {
                    if (isNull) {
                        yield Constant.nullOf(ColumnType.GUID);
                    }
                    yield new Constant(ColumnType.GUID, value.strip().toLowerCase(Locale.ROOT));
                }
                case NULL -> Constant.nullOf(ColumnType.DYNAMIC);
            };
        } catch (NumberFormatException | ArithmeticException exception) {
            throw binder.error(
                    DiagnosticCode.INVALID_VALUE,
                    literal.span(),
                    literal.kind().name().toLowerCase(Locale.ROOT),
                    value);
        }
    }

    static long parseLong(String text) {
        String value = text.strip();
        if (value.startsWith("0x") || value.startsWith("0X")) {
            return Long.parseLong(value.substring(2), 16);
        }
        return Long.parseLong(value);
    }

    /** JSON text of a dynamic literal's value. */
    String json(Expression value) {
        StringBuilder text = new StringBuilder();
        json(value, text);
        return text.toString();
    }

    void json(Expression value, StringBuilder text) {
        switch (value) {
            case Expression.DynamicArray array -> {
                text.append('[');
                for (int index = 0; index < array.elements().size(); index++) {
                    if (index > 0) {
                        text.append(',');
                    }
                    json(array.elements().get(index), text);
                }
                text.append(']');
            }
            case Expression.DynamicObject object -> {
                text.append('{');
                for (int index = 0; index < object.properties().size(); index++) {
                    if (index > 0) {
                        text.append(',');
                    }
                    Clause.DynamicProperty property = object.properties().get(index);
                    Json.appendQuoted(text, property.key());
                    text.append(':');
                    json(property.value(), text);
                }
                text.append('}');
            }
            case Expression.DynamicLiteral literal -> json(literal.value(), text);
            default -> {
                ScalarExpression scalar = scalar(value, RowScope.EMPTY);
                if (!(scalar instanceof Constant constant)) {
                    throw binder.error(DiagnosticCode.EXPECTED_CONSTANT, value.span(), "dynamic value");
                }
                jsonValue(constant, text);
            }
        }
    }

    static void jsonValue(Constant constant, StringBuilder text) {
        Object value = constant.value();
        if (value == null) {
            text.append("null");
            return;
        }
        switch (constant.type()) {
            case STRING, GUID -> Json.appendQuoted(text, (String) value);
            case DYNAMIC -> text.append((String) value);
            case INT, LONG, BOOL -> text.append(value);
            case REAL -> {
                double real = (Double) value;
                if (Double.isFinite(real)) {
                    text.append(value);
                } else {
                    text.append("null");
                }
            }
            case DATETIME -> Json.appendQuoted(text, value.toString());
            case TIMESPAN -> Json.appendQuoted(text, value.toString());
        }
    }

    ScalarExpression name(Expression.NameReference name, RowScope scope) {
        int index = ProjectOperators.visibleIndex(scope.columns(), name.name());
        if (index >= 0) {
            PlanColumn column = scope.columns().get(index);
            return new ColumnReference(index, column.name(), column.type());
        }
        Binder.Binding binding = binder.lets.get(name.name());
        if (binding instanceof Binder.ScalarBinding scalar) {
            return scalar.value();
        }
        if (binding instanceof Binder.TabularBinding) {
            throw binder.error(DiagnosticCode.EXPECTED_SCALAR, name.span());
        }
        if (binding instanceof Binder.FunctionBinding function) {
            return binder.scalarCall(name.name(), function, List.of(), scope, name.span());
        }
        if (binding instanceof Binder.FailedBinding) {
            throw new BindError();
        }
        throw binder.error(DiagnosticCode.UNKNOWN_COLUMN, name.span(), name.name());
    }

    ScalarExpression unary(Expression.Unary unary, RowScope scope) {
        ScalarExpression operand = scalar(unary.operand(), scope);
        return switch (unary.operator()) {
            case PLUS -> operand;
            case MINUS -> {
                if (operand instanceof Constant constant && constant.value() != null) {
                    Object value = constant.value();
                    if (value instanceof Long number) {
                        yield Constant.ofLong(-number);
                    }
                    if (value instanceof Integer number) {
                        yield new Constant(ColumnType.INT, -number);
                    }
                    if (value instanceof Double number) {
                        yield new Constant(ColumnType.REAL, -number);
                    }
                    if (value instanceof Duration duration) {
                        yield new Constant(ColumnType.TIMESPAN, duration.negated());
                    }
                }
                if (!Conversions.isNumeric(operand.type()) && operand.type() != ColumnType.TIMESPAN) {
                    throw binder.error(
                            DiagnosticCode.TYPE_MISMATCH,
                            unary.span(),
                            "Cannot negate a " + operand.type().kqlName());
                }
                yield call(ScalarFunction.NEGATE, operand.type(), operand);
            }
        };
    }

    ScalarExpression binary(Expression.Binary binary, RowScope scope) {
        BinaryOperator operator = binary.operator();
        switch (operator) {
            case AND, OR -> {
                ScalarExpression left = condition(binary.left(), scope);
                ScalarExpression right = condition(binary.right(), scope);
                ScalarFunction function = ScalarFunction.AND;
                if (operator == BinaryOperator.OR) {
                    function = ScalarFunction.OR;
                }
                return call(function, ColumnType.BOOL, left, right);
            }
            default -> {
                // the others bind both sides first
            }
        }
        ScalarExpression left = scalar(binary.left(), scope);
        ScalarExpression right = scalar(binary.right(), scope);
        return switch (operator) {
            case AND, OR -> throw new IllegalStateException("handled above");
            case EQUAL -> compare(ScalarFunction.EQUAL, left, right, binary);
            case NOT_EQUAL, LESS_GREATER -> compare(ScalarFunction.NOT_EQUAL, left, right, binary);
            case LESS -> compare(ScalarFunction.LESS, left, right, binary);
            case LESS_EQUAL -> compare(ScalarFunction.LESS_EQUAL, left, right, binary);
            case GREATER -> compare(ScalarFunction.GREATER, left, right, binary);
            case GREATER_EQUAL -> compare(ScalarFunction.GREATER_EQUAL, left, right, binary);
            case EQUAL_CASE_INSENSITIVE -> stringPredicate(ScalarFunction.EQUAL_IGNORE_CASE, false, left, right);
            case NOT_EQUAL_CASE_INSENSITIVE -> stringPredicate(ScalarFunction.EQUAL_IGNORE_CASE, true, left, right);
            case HAS -> stringPredicate(ScalarFunction.HAS, false, left, right);
            case NOT_HAS -> stringPredicate(ScalarFunction.HAS, true, left, right);
            case HAS_CS -> stringPredicate(ScalarFunction.HAS_CS, false, left, right);
            case NOT_HAS_CS -> stringPredicate(ScalarFunction.HAS_CS, true, left, right);
            case HAS_PREFIX -> stringPredicate(ScalarFunction.HAS_PREFIX, false, left, right);
            case NOT_HAS_PREFIX -> stringPredicate(ScalarFunction.HAS_PREFIX, true, left, right);
            case HAS_SUFFIX -> stringPredicate(ScalarFunction.HAS_SUFFIX, false, left, right);
            case NOT_HAS_SUFFIX -> stringPredicate(ScalarFunction.HAS_SUFFIX, true, left, right);
            case HAS_PREFIX_CS -> stringPredicate(ScalarFunction.HAS_PREFIX_CS, false, left, right);
            case NOT_HAS_PREFIX_CS -> stringPredicate(ScalarFunction.HAS_PREFIX_CS, true, left, right);
            case HAS_SUFFIX_CS -> stringPredicate(ScalarFunction.HAS_SUFFIX_CS, false, left, right);
            case NOT_HAS_SUFFIX_CS -> stringPredicate(ScalarFunction.HAS_SUFFIX_CS, true, left, right);
            case CONTAINS -> stringPredicate(ScalarFunction.CONTAINS, false, left, right);
            case NOT_CONTAINS -> stringPredicate(ScalarFunction.CONTAINS, true, left, right);
            case CONTAINS_CS -> stringPredicate(ScalarFunction.CONTAINS_CS, false, left, right);
            case NOT_CONTAINS_CS -> stringPredicate(ScalarFunction.CONTAINS_CS, true, left, right);
            case STARTS_WITH -> stringPredicate(ScalarFunction.STARTS_WITH, false, left, right);
            case NOT_STARTS_WITH -> stringPredicate(ScalarFunction.STARTS_WITH, true, left, right);
            case STARTS_WITH_CS -> stringPredicate(ScalarFunction.STARTS_WITH_CS, false, left, right);
            case NOT_STARTS_WITH_CS -> stringPredicate(ScalarFunction.STARTS_WITH_CS, true, left, right);
            case ENDS_WITH -> stringPredicate(ScalarFunction.ENDS_WITH, false, left, right);
            case NOT_ENDS_WITH -> stringPredicate(ScalarFunction.ENDS_WITH, true, left, right);
            case ENDS_WITH_CS -> stringPredicate(ScalarFunction.ENDS_WITH_CS, false, left, right);
            case NOT_ENDS_WITH_CS -> stringPredicate(ScalarFunction.ENDS_WITH_CS, true, left, right);
            case MATCHES_REGEX -> stringPredicate(ScalarFunction.REGEX_MATCH, false, left, right);
            case ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO -> arithmetic(operator, left, right, binary);
        };
    }

    ScalarExpression compare(
            ScalarFunction function, ScalarExpression left, ScalarExpression right, Expression.Binary binary) {
        ColumnType common = Conversions.comparisonType(left.type(), right.type());
        if (common == null && left.type() == ColumnType.DATETIME && right.type() == ColumnType.STRING) {
            common = ColumnType.DATETIME;
        }
        if (common == null
                && (function == ScalarFunction.EQUAL || function == ScalarFunction.NOT_EQUAL)
                && Conversions.isLooseEquality(left.type(), right.type())) {
            common = ColumnType.STRING;
        }
        if (common == null) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    binary.span(),
                    "Cannot compare " + left.type().kqlName() + " with "
                            + right.type().kqlName() + " using '"
                            + binary.operator().text() + "'");
        }
        if (common == ColumnType.DYNAMIC) {
            // two dynamic values compare as their text, as KQL compares dynamic scalars
            common = ColumnType.STRING;
        }
        return call(
                function,
                ColumnType.BOOL,
                binder.conversions.convert(left, common),
                binder.conversions.convert(right, common));
    }

    ScalarExpression stringPredicate(
            ScalarFunction function, boolean negated, ScalarExpression left, ScalarExpression right) {
        ScalarExpression result =
                call(function, ColumnType.BOOL, binder.conversions.asString(left), binder.conversions.asString(right));
        if (negated) {
            return call(ScalarFunction.NOT, ColumnType.BOOL, result);
        }
        return result;
    }

    /** Arithmetic types (arithmetic operators, datetime-timespan-arithmetic). */
    ScalarExpression arithmetic(
            BinaryOperator operator, ScalarExpression left, ScalarExpression right, Expression.Binary binary) {
        ColumnType leftType = left.type();
        ColumnType rightType = right.type();
        if (leftType == ColumnType.DYNAMIC && rightType != ColumnType.DYNAMIC) {
            left = binder.conversions.convert(left, Conversions.numericOr(rightType));
            leftType = left.type();
        } else if (rightType == ColumnType.DYNAMIC && leftType != ColumnType.DYNAMIC) {
            right = binder.conversions.convert(right, Conversions.numericOr(leftType));
            rightType = right.type();
        } else if (leftType == ColumnType.DYNAMIC) {
            left = binder.conversions.convert(left, ColumnType.REAL);
            right = binder.conversions.convert(right, ColumnType.REAL);
            leftType = ColumnType.REAL;
            rightType = ColumnType.REAL;
        }
        ScalarFunction function = switch (operator) {
            case ADD -> ScalarFunction.ADD;
            case SUBTRACT -> ScalarFunction.SUBTRACT;
            case MULTIPLY -> ScalarFunction.MULTIPLY;
            case DIVIDE -> ScalarFunction.DIVIDE;
            case MODULO -> ScalarFunction.MODULO;
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
        ColumnType type = null;
        if (Conversions.isNumeric(leftType) && Conversions.isNumeric(rightType)) {
            type = Conversions.promote(leftType, rightType);
        } else if (leftType == ColumnType.DATETIME
                && rightType == ColumnType.TIMESPAN
                && (operator == BinaryOperator.ADD || operator == BinaryOperator.SUBTRACT)) {
            type = ColumnType.DATETIME;
            if (left instanceof Constant leftConstant
                    && right instanceof Constant rightConstant
                    && leftConstant.value() != null
                    && rightConstant.value() != null) {
                Instant instant = (Instant) leftConstant.value();
                Duration duration = (Duration) rightConstant.value();
                if (operator == BinaryOperator.ADD) {
                    return new Constant(ColumnType.DATETIME, instant.plus(duration));
                }
                return new Constant(ColumnType.DATETIME, instant.minus(duration));
            }
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.DATETIME
                && operator == BinaryOperator.ADD) {
            return arithmetic(operator, right, left, binary);
        } else if (leftType == ColumnType.DATETIME
                && rightType == ColumnType.DATETIME
                && operator == BinaryOperator.SUBTRACT) {
            type = ColumnType.TIMESPAN;
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.TIMESPAN
                && (operator == BinaryOperator.ADD || operator == BinaryOperator.SUBTRACT)) {
            type = ColumnType.TIMESPAN;
        } else if (leftType == ColumnType.TIMESPAN
                && rightType == ColumnType.TIMESPAN
                && operator == BinaryOperator.DIVIDE) {
            // a timespan over a timespan is their real ratio, 1d / 1h == 24 (datetime-timespan-arithmetic)
            type = ColumnType.REAL;
        } else if (leftType == ColumnType.TIMESPAN
                && Conversions.isNumeric(rightType)
                && (operator == BinaryOperator.MULTIPLY || operator == BinaryOperator.DIVIDE)) {
            type = ColumnType.TIMESPAN;
        } else if (Conversions.isNumeric(leftType)
                && rightType == ColumnType.TIMESPAN
                && operator == BinaryOperator.MULTIPLY) {
            return arithmetic(operator, right, left, binary);
        }
        if (type == null) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    binary.span(),
                    "Operator '" + operator.text() + "' cannot be applied to " + leftType.kqlName() + " and "
                            + rightType.kqlName());
        }
        return call(function, type, left, right);
    }

    ScalarExpression member(Expression.MemberAccess member, RowScope scope) {
        if (member.target() instanceof Expression.NameReference name
                && (name.name().equals("$left") || name.name().equals("$right"))) {
            throw binder.error(
                    DiagnosticCode.UNSUPPORTED_FEATURE, member.span(), "$left/$right outside a join condition");
        }
        ScalarExpression target = scalar(member.target(), scope);
        if (target.type() != ColumnType.DYNAMIC) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    member.span(),
                    "Member access needs a dynamic value, got " + target.type().kqlName());
        }
        return call(ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, target, Constant.ofString(member.member()));
    }

    ScalarExpression element(Expression.ElementAccess element, RowScope scope) {
        ScalarExpression target = scalar(element.target(), scope);
        if (target.type() != ColumnType.DYNAMIC) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    element.span(),
                    "Element access needs a dynamic value, got " + target.type().kqlName());
        }
        ScalarExpression index = scalar(element.index(), scope);
        if (index.type() == ColumnType.STRING) {
            return call(ScalarFunction.DYNAMIC_MEMBER, ColumnType.DYNAMIC, target, index);
        }
        if (Conversions.isNumeric(index.type()) && index.type() != ColumnType.REAL) {
            return call(
                    ScalarFunction.DYNAMIC_ELEMENT,
                    ColumnType.DYNAMIC,
                    target,
                    binder.conversions.convert(index, ColumnType.LONG));
        }
        throw binder.error(
                DiagnosticCode.TYPE_MISMATCH,
                element.index().span(),
                "An index is a string or an integer, got " + index.type().kqlName());
    }
}
