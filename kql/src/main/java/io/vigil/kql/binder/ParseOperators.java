package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.plan.ScalarFunction;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** {@code parse} and {@code parse-where}: a pattern of text, wildcards and typed columns lowered to one RE2 expression per column (parse-operator, parse-where-operator). */
final class ParseOperators {
    private final Binder binder;

    ParseOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    /**
     * {@code parse [kind=simple|relaxed|regex] source with pattern} as one RE2 regular expression whose
     * groups are the columns (parse-operator): {@code *} matches lazily, a string column lazily unless it
     * ends the pattern, numbers by their digits; text is escaped except in regex kind, where it is a
     * regular expression itself. The pattern is a bound parameter, never SQL text. simple and regex leave
     * every column empty or null when the row does not match; relaxed keeps what the expression matched,
     * which here is the same because one expression matches all columns at once. {@code parse-where}
     * drops the rows that do not match (parse-where-operator).
     */
    PlanNode parse(
            PlanNode input,
            List<Clause.OperatorParameter> parameters,
            Expression sourceExpression,
            List<Clause.ParsePatternElement> pattern,
            boolean whereOnly) {
        String kind = "simple";
        String flags = "";
        for (Clause.OperatorParameter parameter : parameters) {
            if (parameter.name().equals("kind")) {
                kind = binder.sourceText(parameter.value().span()).strip().toLowerCase(java.util.Locale.ROOT);
            } else if (parameter.name().equals("flags")) {
                flags = parseFlags(parameter);
            } else {
                throw binder.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        parameter.span(),
                        "parse parameter '" + parameter.name() + "'");
            }
        }
        if (!kind.equals("simple") && !kind.equals("relaxed") && !kind.equals("regex")) {
            throw binder.error(DiagnosticCode.INVALID_VALUE, parameters.get(0).span(), "parse kind", kind);
        }
        RowScope scope = new RowScope(input.columns());
        ScalarExpression text = binder.conversions.asString(binder.scalars.scalar(sourceExpression, scope));
        // pieces of the expression; a column's piece is its group body, captured only in its own copy
        List<String> pieces = new ArrayList<>();
        List<Integer> columnPieces = new ArrayList<>();
        List<Clause.PatternColumn> columns = new ArrayList<>();
        for (int index = 0; index < pattern.size(); index++) {
            boolean last = index == pattern.size() - 1;
            switch (pattern.get(index)) {
                case Clause.PatternWildcard wildcard -> pieces.add(".*?");
                case Clause.PatternText literal -> {
                    if (kind.equals("regex")) {
                        pieces.add("(?:" + literal.literal().value() + ")");
                    } else {
                        pieces.add(escapeRegex(literal.literal().value()));
                    }
                }
                case Clause.PatternColumn column -> {
                    ColumnType type =
                            column.type().map(binder.conversions::typeName).orElse(ColumnType.STRING);
                    String group = switch (type) {
                        case INT, LONG -> "-?\\d+";
                        case REAL -> "-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?";
                        case BOOL -> "true|false|True|False|TRUE|FALSE";
                        case STRING, GUID, DATETIME, TIMESPAN, DYNAMIC -> {
                            if (last) {
                                yield ".*";
                            }
                            yield ".*?";
                        }
                    };
                    columnPieces.add(pieces.size());
                    pieces.add(group);
                    columns.add(column);
                }
            }
        }
        List<ProjectOperators.Output> outputs = new ArrayList<>();
        for (int index = 0; index < input.columns().size(); index++) {
            outputs.add(new ProjectOperators.Output(input.columns().get(index), Binder.reference(input, index)));
        }
        for (int group = 0; group < columns.size(); group++) {
            Clause.PatternColumn column = columns.get(group);
            ColumnType type = column.type().map(binder.conversions::typeName).orElse(ColumnType.STRING);
            // one capturing group per copy (DuckDB extracts groups 0 to 9 only), after any groups that
            // regex-kind text opens before it
            int captured = columnPieces.get(group);
            int groupNumber = 1;
            for (int index = 0; index < captured; index++) {
                if (!columnPieces.contains(index)) {
                    groupNumber += capturingGroups(pieces.get(index));
                }
            }
            if (groupNumber > 9) {
                throw binder.error(
                        DiagnosticCode.UNSUPPORTED_FEATURE,
                        column.span(),
                        "more than 9 capturing groups before a parse column");
            }
            ScalarExpression value = ScalarBinder.call(
                    ScalarFunction.REGEX_EXTRACT,
                    ColumnType.STRING,
                    text,
                    Constant.ofString(flags + parseRegex(pieces, columnPieces, captured)),
                    Constant.ofLong(groupNumber));
            if (type != ColumnType.STRING) {
                value = binder.conversions.convert(value, type);
            }
            ProjectOperators.Output output = new ProjectOperators.Output(new PlanColumn(column.name(), type), value);
            int existing = ProjectOperators.visibleIndex(
                    outputs.stream().map(ProjectOperators.Output::column).toList(), column.name());
            if (existing >= 0) {
                outputs.set(existing, output);
            } else {
                outputs.add(output);
            }
        }
        PlanNode source = input;
        if (whereOnly) {
            Constant whole = Constant.ofString(flags + parseRegex(pieces, columnPieces, -1));
            source = new PlanNode.Filter(
                    input, ScalarBinder.call(ScalarFunction.REGEX_MATCH, ColumnType.BOOL, text, whole));
        }
        return binder.projects.projection(source, outputs);
    }

    /**
     * {@code flags=} of regex-kind parse: the RE2 flags U (ungreedy), m (multi-line), s (dot matches new
     * lines) and i (ignore case), as a {@code (?flags)} prefix (parse-operator).
     */
    String parseFlags(Clause.OperatorParameter parameter) {
        String flags = binder.sourceText(parameter.value().span()).strip();
        if (flags.isEmpty() || !flags.chars().allMatch(flag -> "Umsi".indexOf(flag) >= 0)) {
            throw binder.error(DiagnosticCode.INVALID_VALUE, parameter.value().span(), "parse flags", flags);
        }
        return "(?" + flags + ")";
    }

    /** Capturing groups a regular expression opens: {@code (} not escaped, not in a class, not {@code (?}. */
    static int capturingGroups(String regex) {
        int count = 0;
        boolean inClass = false;
        for (int index = 0; index < regex.length(); index++) {
            char character = regex.charAt(index);
            if (character == '\\') {
                index++;
            } else if (inClass) {
                inClass = character != ']';
            } else if (character == '[') {
                inClass = true;
            } else if (character == '(' && (index + 1 >= regex.length() || regex.charAt(index + 1) != '?')) {
                count++;
            }
        }
        return count;
    }

    /** The parse expression anchored at the start, with only the piece at {@code captured} in a group. */
    static String parseRegex(List<String> pieces, List<Integer> columnPieces, int captured) {
        StringBuilder regex = new StringBuilder("^");
        for (int index = 0; index < pieces.size(); index++) {
            if (index == captured) {
                regex.append('(').append(pieces.get(index)).append(')');
            } else if (columnPieces.contains(index)) {
                regex.append("(?:").append(pieces.get(index)).append(')');
            } else {
                regex.append(pieces.get(index));
            }
        }
        return regex.toString();
    }

    /** RE2 text matching {@code literal} exactly. */
    static String escapeRegex(String literal) {
        StringBuilder escaped = new StringBuilder();
        for (int index = 0; index < literal.length(); index++) {
            char character = literal.charAt(index);
            if ("\\.^$|?*+()[]{}".indexOf(character) >= 0) {
                escaped.append('\\');
            }
            escaped.append(character);
        }
        return escaped.toString();
    }
}
