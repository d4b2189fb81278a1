package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.kql.syntax.Clause;
import io.vigil.kql.syntax.DiagnosticCode;
import io.vigil.kql.syntax.Expression;
import io.vigil.kql.syntax.NullsPosition;
import io.vigil.kql.syntax.SortDirection;
import io.vigil.plan.PlanNode;
import io.vigil.plan.ScalarExpression;
import io.vigil.plan.ScalarExpression.Constant;
import java.util.ArrayList;
import java.util.List;

/** Row order and counts: the sort keys of {@code sort}/{@code order}/{@code top} and the constant counts of {@code take}/{@code top}/{@code sample} (sort-operator, top-operator). */
final class OrderingOperators {
    private final Binder binder;

    OrderingOperators(Binder binder) {
        this.binder = requireNonNull(binder, "binder is null");
    }

    long constantCount(Expression expression) {
        ScalarExpression value = binder.scalars.scalar(expression, RowScope.EMPTY);
        if (value instanceof Constant constant
                && constant.value() instanceof Number number
                && number.longValue() >= 0) {
            return number.longValue();
        }
        throw binder.error(DiagnosticCode.EXPECTED_CONSTANT, expression.span(), "non-negative count");
    }

    /** Sort defaults: descending, nulls last when descending and first when ascending (sort-operator). */
    List<PlanNode.SortKey> sortKeys(PlanNode input, List<Clause.OrderedExpression> items) {
        RowScope scope = new RowScope(input.columns());
        List<PlanNode.SortKey> keys = new ArrayList<>();
        for (Clause.OrderedExpression item : items) {
            ScalarExpression value = binder.scalars.scalar(item.expression(), scope);
            boolean ascending = item.direction().orElse(SortDirection.DESCENDING) == SortDirection.ASCENDING;
            boolean nullsFirst = ascending;
            if (item.nulls().isPresent()) {
                nullsFirst = item.nulls().get() == NullsPosition.FIRST;
            }
            keys.add(new PlanNode.SortKey(value, ascending, nullsFirst));
        }
        return keys;
    }
}
