package io.vigil.kql.syntax;

import io.vigil.kql.syntax.Clause.ColumnDeclaration;
import io.vigil.kql.syntax.Clause.DynamicProperty;
import io.vigil.kql.syntax.Clause.FunctionBody;
import io.vigil.kql.syntax.Clause.FunctionParameter;
import io.vigil.kql.syntax.Clause.MakeSeriesAggregate;
import io.vigil.kql.syntax.Clause.MakeSeriesFromTo;
import io.vigil.kql.syntax.Clause.MakeSeriesInRange;
import io.vigil.kql.syntax.Clause.MvExpandItem;
import io.vigil.kql.syntax.Clause.OperatorParameter;
import io.vigil.kql.syntax.Clause.OrderedExpression;
import io.vigil.kql.syntax.Clause.PatternColumn;
import io.vigil.kql.syntax.Clause.PatternText;
import io.vigil.kql.syntax.Clause.PatternWildcard;
import io.vigil.kql.syntax.Clause.TabularSchema;
import io.vigil.kql.syntax.Clause.TopNestedClause;
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
import io.vigil.kql.syntax.Expression.WildcardName;
import io.vigil.kql.syntax.Statement.ExpressionStatement;
import io.vigil.kql.syntax.Statement.LetStatement;
import io.vigil.kql.syntax.Statement.SetStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Prints a tree back to canonical KQL: one operator per line after {@code |}, single spaces, names
 * bracketed only where needed, literals in their source spelling. For trees from {@link KqlParser},
 * {@code parse(print(tree))} yields the same tree apart from spans; parentheses are added only where
 * precedence requires them, so hand-built trees print correctly too.
 */
public final class KqlPrinter {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\\$left|\\$right");

    private KqlPrinter() {}

    public static String print(SyntaxNode node) {
        return switch (node) {
            case Script script -> script(script);
            case Statement statement -> statement(statement);
            case Expression expression -> expression(expression);
            case QueryOperator operator -> operator(operator);
            case Clause clause -> clause(clause);
        };
    }

    private static String script(Script script) {
        StringBuilder output = new StringBuilder();
        for (Statement statement : script.statements()) {
            output.append(statement(statement)).append(";\n");
        }
        return output.toString();
    }

    private static String statement(Statement statement) {
        return switch (statement) {
            case LetStatement let -> "let " + name(let.name()) + " = " + expression(let.value());
            case SetStatement set ->
                "set " + set.name()
                        + set.value().map(value -> " = " + expression(value)).orElse("");
            case ExpressionStatement expression -> expression(expression.expression());
        };
    }

    /** A name as KQL source: plain when it is an identifier and not a reserved word, else {@code ['...']}. */
    public static String name(String name) {
        if (PLAIN_NAME.matcher(name).matches() && !isReserved(name)) {
            return name;
        }
        return "['" + name.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    private static boolean isReserved(String name) {
        return KqlLexer.isWordOperator(name)
                || name.equals("true")
                || name.equals("false")
                || name.equalsIgnoreCase("true")
                || name.equalsIgnoreCase("false");
    }

    private static <T> String join(List<T> elements, Function<T, String> printer) {
        StringBuilder output = new StringBuilder();
        for (T element : elements) {
            if (!output.isEmpty()) {
                output.append(", ");
            }
            output.append(printer.apply(element));
        }
        return output.toString();
    }

    private static String expressions(List<Expression> expressions) {
        return join(expressions, KqlPrinter::expression);
    }

    private static String parameters(List<OperatorParameter> parameters) {
        StringBuilder output = new StringBuilder();
        for (OperatorParameter parameter : parameters) {
            output.append(' ').append(clause(parameter));
        }
        return output.toString();
    }

    /** Binding strength for deciding parentheses: 0 for pipes and assignments, 8 for primaries. */
    private static int precedence(Expression expression) {
        return switch (expression) {
            case Binary binary -> binary.operator().precedence();
            case In in -> BinaryOperator.EQUALITY_PRECEDENCE;
            case Between between -> BinaryOperator.EQUALITY_PRECEDENCE;
            case Unary unary -> 7;
            case Pipe pipe -> 0;
            case OperatorExpression operator -> 0;
            case NamedExpression named -> 0;
            case FunctionDeclaration function -> 0;
            case Missing missing -> 8;
            case Literal literal -> 8;
            case NameReference reference -> 8;
            case WildcardName wildcard -> 8;
            case Star star -> 8;
            case Parenthesized parenthesized -> 8;
            case FunctionCall call -> 8;
            case MemberAccess member -> 8;
            case ElementAccess element -> 8;
            case DynamicLiteral dynamic -> 8;
            case DynamicArray array -> 8;
            case DynamicObject object -> 8;
            case TypeOf type -> 8;
        };
    }

    private static String operand(Expression expression, int minimumPrecedence) {
        String printed = expression(expression);
        if (precedence(expression) < minimumPrecedence) {
            return "(" + printed + ")";
        }
        return printed;
    }

    private static String expression(Expression expression) {
        return switch (expression) {
            case Missing missing -> "";
            case Literal literal -> literal.text();
            case NameReference reference -> name(reference.name());
            case WildcardName wildcard -> wildcard.pattern();
            case Star star -> "*";
            case Parenthesized parenthesized -> "(" + expression(parenthesized.expression()) + ")";
            case Unary unary -> unary.operator().text() + operand(unary.operand(), 7);
            case Binary binary -> binaryChain(binary);
            case In in ->
                operand(in.left(), BinaryOperator.EQUALITY_PRECEDENCE) + " "
                        + in.operator().text() + " (" + expressions(in.values()) + ")";
            case Between between -> {
                String operator = "between";
                if (between.negated()) {
                    operator = "!between";
                }
                yield operand(between.left(), BinaryOperator.EQUALITY_PRECEDENCE) + " " + operator + " ("
                        + expression(between.low()) + " .. " + expression(between.high()) + ")";
            }
            case FunctionCall call -> call.name() + "(" + expressions(call.arguments()) + ")";
            case MemberAccess member -> operand(member.target(), 8) + "." + name(member.member());
            case ElementAccess element -> operand(element.target(), 8) + "[" + expression(element.index()) + "]";
            case NamedExpression named -> namedPrefix(named.names()) + " = " + expression(named.value());
            case DynamicLiteral dynamic -> "dynamic(" + expression(dynamic.value()) + ")";
            case DynamicArray array -> "[" + expressions(array.elements()) + "]";
            case DynamicObject object -> "{" + join(object.properties(), KqlPrinter::clause) + "}";
            case TypeOf type -> "typeof(" + join(type.types(), KqlPrinter::clause) + ")";
            case FunctionDeclaration function -> functionDeclaration(function);
            case Pipe pipe -> expression(pipe.source()) + "\n| " + operator(pipe.operator());
            case OperatorExpression operator -> operator(operator.operator());
        };
    }

    /**
     * Prints a left-deep chain such as {@code a and b and c ...} without recursing per link: rules
     * with thousands of {@code or} terms must not exhaust the stack. Left-associative operators need
     * parentheses only around a right operand of equal or lower precedence.
     */
    private static String binaryChain(Binary root) {
        List<Binary> spine = new ArrayList<>();
        Expression current = root;
        while (current instanceof Binary binary
                && (spine.isEmpty()
                        || binary.operator().precedence()
                                >= spine.get(spine.size() - 1).operator().precedence())) {
            spine.add(binary);
            current = binary.left();
        }
        Binary deepest = spine.get(spine.size() - 1);
        StringBuilder output =
                new StringBuilder(operand(deepest.left(), deepest.operator().precedence()));
        for (int position = spine.size() - 1; position >= 0; position--) {
            Binary link = spine.get(position);
            int level = link.operator().precedence();
            output.append(' ').append(link.operator().text()).append(' ');
            output.append(operand(link.right(), level + 1));
        }
        return output.toString();
    }

    private static String namedPrefix(List<String> names) {
        if (names.size() == 1) {
            return name(names.get(0));
        }
        return "(" + join(names, KqlPrinter::name) + ")";
    }

    private static String functionDeclaration(FunctionDeclaration function) {
        StringBuilder output = new StringBuilder();
        if (function.view()) {
            output.append("view ");
        }
        output.append('(')
                .append(join(function.parameters(), KqlPrinter::clause))
                .append(") ");
        output.append(clause(function.body()));
        return output.toString();
    }

    private static String optional(String prefix, Optional<? extends SyntaxNode> node) {
        return node.map(value -> prefix + print(value)).orElse("");
    }

    private static String operator(QueryOperator operator) {
        return switch (operator) {
            case QueryOperator.WhereOperator where -> "where " + expression(where.predicate());
            case QueryOperator.ProjectOperator project -> "project " + expressions(project.columns());
            case QueryOperator.ProjectAwayOperator away -> "project-away " + expressions(away.columns());
            case QueryOperator.ProjectKeepOperator keep -> "project-keep " + expressions(keep.columns());
            case QueryOperator.ProjectRenameOperator rename -> "project-rename " + expressions(rename.columns());
            case QueryOperator.ProjectReorderOperator reorder ->
                "project-reorder " + join(reorder.columns(), KqlPrinter::clause);
            case QueryOperator.ExtendOperator extend -> "extend " + expressions(extend.columns());
            case QueryOperator.SummarizeOperator summarize -> summarize(summarize);
            case QueryOperator.CountOperator count -> "count";
            case QueryOperator.TakeOperator take -> "take " + expression(take.count());
            case QueryOperator.TopOperator top ->
                "top " + expression(top.count()) + " by " + join(top.by(), KqlPrinter::clause);
            case QueryOperator.TopNestedOperator topNested -> join(topNested.clauses(), KqlPrinter::clause);
            case QueryOperator.SortOperator sort -> "sort by " + join(sort.by(), KqlPrinter::clause);
            case QueryOperator.DistinctOperator distinct -> "distinct " + expressions(distinct.columns());
            case QueryOperator.JoinOperator join ->
                "join" + parameters(join.parameters()) + " " + expression(join.right()) + " on "
                        + expressions(join.on());
            case QueryOperator.LookupOperator lookup ->
                "lookup" + parameters(lookup.parameters()) + " " + expression(lookup.right()) + " on "
                        + expressions(lookup.on());
            case QueryOperator.UnionOperator union ->
                "union" + parameters(union.parameters()) + " " + expressions(union.tables());
            case QueryOperator.MvExpandOperator mvExpand ->
                "mv-expand" + parameters(mvExpand.parameters()) + " " + join(mvExpand.items(), KqlPrinter::clause)
                        + optional(" limit ", mvExpand.limit());
            case QueryOperator.MvApplyOperator mvApply ->
                "mv-apply" + parameters(mvApply.parameters()) + " "
                        + join(mvApply.items(), KqlPrinter::clause) + optional(" limit ", mvApply.limit())
                        + " on (" + expression(mvApply.subquery()) + ")";
            case QueryOperator.ParseOperator parse ->
                "parse" + parameters(parse.parameters()) + " " + expression(parse.source()) + " with "
                        + pattern(parse.pattern());
            case QueryOperator.ParseWhereOperator parse ->
                "parse-where" + parameters(parse.parameters()) + " " + expression(parse.source()) + " with "
                        + pattern(parse.pattern());
            case QueryOperator.EvaluateOperator evaluate ->
                "evaluate" + parameters(evaluate.parameters()) + " " + expression(evaluate.plugin())
                        + evaluate.outputSchema()
                                .map(schema -> " : " + clause(schema))
                                .orElse("");
            case QueryOperator.MakeSeriesOperator makeSeries -> makeSeries(makeSeries);
            case QueryOperator.RenderOperator render -> render(render);
            case QueryOperator.AsOperator as -> "as" + parameters(as.parameters()) + " " + name(as.name());
            case QueryOperator.InvokeOperator invoke -> "invoke " + expression(invoke.function());
            case QueryOperator.SerializeOperator serialize -> serialize(serialize);
            case QueryOperator.SearchOperator search ->
                "search" + parameters(search.parameters()) + inTables(search.tables()) + " "
                        + expression(search.predicate());
            case QueryOperator.FindOperator find -> find(find);
            case QueryOperator.GetSchemaOperator schema -> "getschema";
            case QueryOperator.SampleOperator sample -> "sample " + expression(sample.count());
            case QueryOperator.SampleDistinctOperator sample ->
                "sample-distinct " + expression(sample.count()) + " of " + expression(sample.column());
            case QueryOperator.ExternalDataOperator external -> externalData(external);
            case QueryOperator.DataTableOperator table ->
                "datatable(" + join(table.schema(), KqlPrinter::clause) + ") [" + expressions(table.values()) + "]";
            case QueryOperator.PrintOperator print -> "print " + expressions(print.columns());
            case QueryOperator.RangeOperator range ->
                "range " + name(range.column()) + " from "
                        + expression(range.from()) + " to " + expression(range.to()) + " step "
                        + expression(range.step());
            case QueryOperator.FacetOperator facet ->
                "facet by " + expressions(facet.columns())
                        + facet.with()
                                .map(with -> " with (" + expression(with) + ")")
                                .orElse("");
            case QueryOperator.ForkOperator fork -> forkBranches(fork.branches());
            case QueryOperator.BadOperator bad -> bad.text();
        };
    }

    private static String forkBranches(List<Expression> branches) {
        StringBuilder output = new StringBuilder("fork");
        for (Expression branch : branches) {
            output.append(' ').append(forkBranch(branch));
        }
        return output.toString();
    }

    private static String forkBranch(Expression branch) {
        if (branch instanceof NamedExpression named) {
            return namedPrefix(named.names()) + " = (" + expression(named.value()) + ")";
        }
        return "(" + expression(branch) + ")";
    }

    private static String summarize(QueryOperator.SummarizeOperator summarize) {
        StringBuilder output = new StringBuilder("summarize");
        output.append(parameters(summarize.parameters()));
        if (!summarize.aggregates().isEmpty()) {
            output.append(' ').append(expressions(summarize.aggregates()));
        }
        if (!summarize.groupBy().isEmpty()) {
            output.append(" by ").append(expressions(summarize.groupBy()));
        }
        return output.toString();
    }

    private static String makeSeries(QueryOperator.MakeSeriesOperator makeSeries) {
        StringBuilder output = new StringBuilder("make-series");
        output.append(parameters(makeSeries.parameters()));
        output.append(' ').append(join(makeSeries.aggregates(), KqlPrinter::clause));
        output.append(" on ").append(expression(makeSeries.axis()));
        makeSeries.range().ifPresent(range -> output.append(' ').append(clause(range)));
        if (!makeSeries.groupBy().isEmpty()) {
            output.append(" by ").append(expressions(makeSeries.groupBy()));
        }
        return output.toString();
    }

    private static String render(QueryOperator.RenderOperator render) {
        StringBuilder output = new StringBuilder("render ").append(name(render.chartType()));
        if (!render.properties().isEmpty()) {
            output.append(" with (")
                    .append(join(render.properties(), KqlPrinter::clause))
                    .append(')');
        }
        return output.toString();
    }

    private static String serialize(QueryOperator.SerializeOperator serialize) {
        if (serialize.columns().isEmpty()) {
            return "serialize";
        }
        return "serialize " + expressions(serialize.columns());
    }

    private static String inTables(List<Expression> tables) {
        if (tables.isEmpty()) {
            return "";
        }
        return " in (" + expressions(tables) + ")";
    }

    private static String find(QueryOperator.FindOperator find) {
        StringBuilder output = new StringBuilder("find");
        output.append(parameters(find.parameters())).append(inTables(find.tables()));
        output.append(" where ").append(expression(find.predicate()));
        find.project().ifPresent(columns -> {
            if (columns.isEmpty()) {
                output.append(" project-smart");
            } else {
                output.append(" project ").append(expressions(columns));
            }
        });
        return output.toString();
    }

    private static String externalData(QueryOperator.ExternalDataOperator external) {
        StringBuilder output = new StringBuilder("externaldata");
        output.append(parameters(external.parameters()));
        output.append(" (").append(join(external.schema(), KqlPrinter::clause)).append(')');
        output.append(" [").append(expressions(external.uris())).append(']');
        if (!external.properties().isEmpty()) {
            output.append(" with (")
                    .append(join(external.properties(), KqlPrinter::clause))
                    .append(')');
        }
        return output.toString();
    }

    private static String pattern(List<Clause.ParsePatternElement> pattern) {
        StringBuilder output = new StringBuilder();
        for (Clause.ParsePatternElement element : pattern) {
            if (!output.isEmpty()) {
                output.append(' ');
            }
            output.append(clause(element));
        }
        return output.toString();
    }

    private static String clause(Clause clause) {
        return switch (clause) {
            case OperatorParameter parameter -> parameter.name() + "=" + expression(parameter.value());
            case OrderedExpression ordered ->
                expression(ordered.expression())
                        + ordered.direction()
                                .map(direction -> " " + direction.text())
                                .orElse("")
                        + ordered.nulls().map(nulls -> " nulls " + nulls.text()).orElse("");
            case TypeReference type -> type.name();
            case TabularSchema schema -> {
                String columns = join(schema.columns(), KqlPrinter::clause);
                if (schema.open() && columns.isEmpty()) {
                    yield "(*)";
                }
                if (schema.open()) {
                    yield "(" + columns + ", *)";
                }
                yield "(" + columns + ")";
            }
            case ColumnDeclaration column ->
                name(column.name()) + ":" + column.type().name();
            case FunctionParameter parameter ->
                name(parameter.name()) + ":" + clause(parameter.type())
                        + parameter
                                .defaultValue()
                                .map(value -> " = " + expression(value))
                                .orElse("");
            case FunctionBody body -> body(body);
            case DynamicProperty property -> "\"" + escape(property.key()) + "\": " + expression(property.value());
            case MvExpandItem item ->
                expression(item.expression())
                        + item.toType()
                                .map(type -> " to typeof(" + type.name() + ")")
                                .orElse("");
            case MakeSeriesAggregate aggregate ->
                expression(aggregate.aggregate())
                        + aggregate
                                .defaultValue()
                                .map(value -> " default=" + expression(value))
                                .orElse("");
            case MakeSeriesInRange range ->
                "in range(" + expression(range.start()) + ", " + expression(range.stop()) + ", "
                        + expression(range.step()) + ")";
            case MakeSeriesFromTo range -> fromToStep(range);
            case TopNestedClause nested ->
                "top-nested" + optional(" ", nested.count()) + " of "
                        + expression(nested.of()) + optional(" with others = ", nested.others()) + " by "
                        + expression(nested.aggregate())
                        + nested.direction()
                                .map(direction -> " " + direction.text())
                                .orElse("");
            case PatternText text -> text.literal().text();
            case PatternWildcard wildcard -> "*";
            case PatternColumn column ->
                name(column.name())
                        + column.type().map(type -> ":" + type.name()).orElse("");
        };
    }

    private static String fromToStep(MakeSeriesFromTo range) {
        StringBuilder output = new StringBuilder();
        range.from()
                .ifPresent(
                        from -> output.append("from ").append(expression(from)).append(' '));
        range.to().ifPresent(to -> output.append("to ").append(expression(to)).append(' '));
        return output.append("step ").append(expression(range.step())).toString();
    }

    private static String body(FunctionBody body) {
        StringBuilder output = new StringBuilder("{\n");
        for (Statement statement : body.statements()) {
            output.append(statement(statement)).append(";\n");
        }
        return output.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
