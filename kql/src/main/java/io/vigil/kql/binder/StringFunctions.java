package io.vigil.kql.binder;

import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Call;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** String functions: concatenation, length, case, substrings, regular-expression extraction and replacement, split, trim and countof (string-functions). */
final class StringFunctions extends FunctionFamily {
    StringFunctions(BindAccess access) {
        super(access);
    }

    @Override
    ScalarExpression bound(Expression.FunctionCall call) {
        String name = call.name();
        switch (name) {
            case "strcat" -> {
                access.arity(call, 1, 64);
                List<ScalarExpression> arguments = new ArrayList<>();
                for (int index = 0; index < call.arguments().size(); index++) {
                    arguments.add(access.asString(access.argument(call, index)));
                }
                return new Call(ScalarFunction.CONCAT, arguments, ColumnType.STRING);
            }
            case "strlen" -> {
                access.arity(call, 1, 1);
                return ScalarBinder.call(
                        ScalarFunction.LENGTH, ColumnType.LONG, access.asString(access.argument(call, 0)));
            }
            case "substring" -> {
                access.arity(call, 2, 3);
                List<ScalarExpression> arguments = new ArrayList<>();
                arguments.add(access.asString(access.argument(call, 0)));
                for (int index = 1; index < call.arguments().size(); index++) {
                    arguments.add(access.integer(call, index));
                }
                return new Call(ScalarFunction.SUBSTRING, arguments, ColumnType.STRING);
            }
            case "tolower" -> {
                access.arity(call, 1, 1);
                return ScalarBinder.call(
                        ScalarFunction.LOWER, ColumnType.STRING, access.asString(access.argument(call, 0)));
            }
            case "toupper" -> {
                access.arity(call, 1, 1);
                return ScalarBinder.call(
                        ScalarFunction.UPPER, ColumnType.STRING, access.asString(access.argument(call, 0)));
            }
            case "extract" -> {
                access.arity(call, 3, 4);
                Optional<ColumnType> target = Optional.empty();
                if (call.arguments().size() == 4) {
                    // extract(regex, group, text, typeof(T)) converts the match (extract-function)
                    if (!(call.arguments().get(3) instanceof Expression.TypeOf typeOf)
                            || typeOf.types().size() != 1) {
                        throw access.error(
                                DiagnosticCode.EXPECTED_CONSTANT,
                                call.arguments().get(3).span(),
                                "typeof(type)");
                    }
                    target = Optional.of(access.typeName(typeOf.types().get(0)));
                }
                ScalarExpression pattern = access.asString(access.argument(call, 0));
                ScalarExpression group = access.integer(call, 1);
                if (!(group instanceof Constant)) {
                    throw access.error(
                            DiagnosticCode.EXPECTED_CONSTANT,
                            call.arguments().get(1).span(),
                            "capture group");
                }
                ScalarExpression match = ScalarBinder.call(
                        ScalarFunction.REGEX_EXTRACT,
                        ColumnType.STRING,
                        access.asString(access.argument(call, 2)),
                        pattern,
                        group);
                if (target.isPresent() && target.get() != ColumnType.STRING) {
                    return access.convert(match, target.get());
                }
                return match;
            }
            case "split" -> {
                access.arity(call, 2, 3);
                ScalarExpression parts = ScalarBinder.call(
                        ScalarFunction.SPLIT,
                        ColumnType.DYNAMIC,
                        access.asString(access.argument(call, 0)),
                        access.asString(access.argument(call, 1)));
                if (call.arguments().size() == 3) {
                    // split(s, d, i) is an array of the one part, as the split-function page says
                    return ScalarBinder.call(
                            ScalarFunction.SPLIT_PART,
                            ColumnType.DYNAMIC,
                            access.asString(access.argument(call, 0)),
                            access.asString(access.argument(call, 1)),
                            access.integer(call, 2));
                }
                return parts;
            }
            case "replace_string" -> {
                access.arity(call, 3, 3);
                return ScalarBinder.call(
                        ScalarFunction.REPLACE,
                        ColumnType.STRING,
                        access.asString(access.argument(call, 0)),
                        access.asString(access.argument(call, 1)),
                        access.asString(access.argument(call, 2)));
            }
            case "trim", "trim_start", "trim_end" -> {
                // trim(regex, text) removes leading and trailing matches of the regex (trim-function)
                access.arity(call, 2, 2);
                ScalarExpression pattern = access.asString(access.argument(call, 0));
                ScalarExpression text = access.asString(access.argument(call, 1));
                if (!name.equals("trim_end")) {
                    text = ScalarBinder.call(ScalarFunction.REGEX_TRIM_START, ColumnType.STRING, text, pattern);
                }
                if (!name.equals("trim_start")) {
                    text = ScalarBinder.call(ScalarFunction.REGEX_TRIM_END, ColumnType.STRING, text, pattern);
                }
                return text;
            }
            case "replace", "replace_regex" -> {
                // replace(regex, rewrite, text) is the older spelling of replace_regex(text, regex, rewrite)
                access.arity(call, 3, 3);
                int text = 0;
                int pattern = 1;
                int rewrite = 2;
                if (name.equals("replace")) {
                    text = 2;
                    pattern = 0;
                    rewrite = 1;
                }
                return ScalarBinder.call(
                        ScalarFunction.REGEX_REPLACE,
                        ColumnType.STRING,
                        access.asString(access.argument(call, text)),
                        access.asString(access.argument(call, pattern)),
                        access.asString(access.argument(call, rewrite)));
            }
            case "countof" -> {
                // countof(text, search, kind = "normal" | "regex") (countof-function)
                access.arity(call, 2, 3);
                ScalarFunction function = ScalarFunction.COUNT_OF;
                if (call.arguments().size() == 3) {
                    String kind = access.constantString(call, 2, "countof kind");
                    if (kind.equals("regex")) {
                        function = ScalarFunction.REGEX_COUNT;
                    } else if (!kind.equals("normal")) {
                        throw access.error(
                                DiagnosticCode.INVALID_VALUE,
                                call.arguments().get(2).span(),
                                "countof kind",
                                kind);
                    }
                }
                return ScalarBinder.call(
                        function,
                        ColumnType.LONG,
                        access.asString(access.argument(call, 0)),
                        access.asString(access.argument(call, 1)));
            }
            default -> {
                return null;
            }
        }
    }
}
