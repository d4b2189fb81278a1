package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.QueryOperator;
import io.vigil.plan.PlanColumn;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import io.vigil.spi.ColumnType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Tables the query spells out or describes: {@code print}, {@code datatable} and {@code getschema} (print-operator, datatable-operator, getschema-operator). */
final class LiteralTables {
    private final Binder binder;

    LiteralTables(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    PlanNode getSchema(PlanNode input) {
        List<PlanColumn> columns = List.of(
                new PlanColumn("ColumnName", ColumnType.STRING),
                new PlanColumn("ColumnOrdinal", ColumnType.INT),
                new PlanColumn("DataType", ColumnType.STRING),
                new PlanColumn("ColumnType", ColumnType.STRING));
        List<List<ScalarExpression>> rows = new ArrayList<>();
        int ordinal = 0;
        for (PlanColumn column : input.columns()) {
            if (column.hidden()) {
                continue;
            }
            rows.add(List.of(
                    Constant.ofString(column.name()),
                    new Constant(ColumnType.INT, ordinal++),
                    Constant.ofString(clrType(column.type())),
                    Constant.ofString(column.type().kqlName())));
        }
        return new PlanNode.Values(columns, rows);
    }

    /** The .NET type names getschema prints (getschema-operator). */
    static String clrType(ColumnType type) {
        return switch (type) {
            case STRING -> "System.String";
            case INT -> "System.Int32";
            case LONG -> "System.Int64";
            case REAL -> "System.Double";
            case BOOL -> "System.SByte";
            case DATETIME -> "System.DateTime";
            case GUID -> "System.Guid";
            case TIMESPAN -> "System.TimeSpan";
            case DYNAMIC -> "System.Object";
        };
    }

    /** print: unnamed values are {@code print_0}, {@code print_1}... (print-operator). */
    PlanNode print(QueryOperator.PrintOperator print) {
        List<PlanColumn> columns = new ArrayList<>();
        List<ScalarExpression> values = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int index = 0; index < print.columns().size(); index++) {
            Expression item = print.columns().get(index);
            ScalarExpression value;
            String name;
            if (item instanceof Expression.NamedExpression named
                    && named.names().size() == 1) {
                value = binder.scalars.scalar(named.value(), RowScope.EMPTY);
                name = named.names().get(0);
            } else {
                value = binder.scalars.scalar(item, RowScope.EMPTY);
                name = "print_" + index;
            }
            values.add(value);
            columns.add(new PlanColumn(Aggregations.unique(name, taken), value.type()));
        }
        return new PlanNode.Values(columns, List.of(values));
    }

    PlanNode datatable(QueryOperator.DataTableOperator datatable) {
        List<PlanColumn> columns = new ArrayList<>();
        for (Clause.ColumnDeclaration declaration : datatable.schema()) {
            columns.add(new PlanColumn(declaration.name(), binder.conversions.typeName(declaration.type())));
        }
        if (columns.isEmpty() || datatable.values().size() % columns.size() != 0) {
            throw binder.error(
                    DiagnosticCode.TYPE_MISMATCH,
                    datatable.span(),
                    "datatable needs a multiple of " + columns.size() + " values, got "
                            + datatable.values().size());
        }
        List<List<ScalarExpression>> rows = new ArrayList<>();
        List<ScalarExpression> row = new ArrayList<>();
        for (Expression value : datatable.values()) {
            PlanColumn column = columns.get(row.size());
            ScalarExpression bound = binder.scalars.scalar(value, RowScope.EMPTY);
            if (!(bound instanceof Constant)) {
                throw binder.error(
                        DiagnosticCode.EXPECTED_CONSTANT,
                        value.span(),
                        column.type().kqlName());
            }
            row.add(binder.conversions.convert(bound, column.type()));
            if (row.size() == columns.size()) {
                rows.add(row);
                row = new ArrayList<>();
            }
        }
        return new PlanNode.Values(columns, rows);
    }
}
