package io.vigil.app.query;

import static java.util.Objects.requireNonNull;

import io.vigil.engine.QueryParameters;
import io.vigil.engine.Timespans;
import io.vigil.spi.EventStore;
import io.vigil.spi.Row;
import io.vigil.spi.VigilException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records every query in LAQueryLogs, as Log Analytics audits queries: text, caller, time range, response
 * code, duration and row count. The row is queued, not awaited: a query never waits for its own audit commit.
 */
final class QueryAudit {
    private static final Logger LOG = Logger.getLogger(QueryAudit.class.getName());

    private final EventStore store;

    QueryAudit(EventStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    void record(
            String query,
            Optional<String> timespan,
            QueryService.Caller caller,
            Instant started,
            double durationMs,
            int responseCode,
            int rowCount)
            throws InterruptedException {
        Row.Builder row = store.catalog()
                .require("LAQueryLogs")
                .newRow()
                .set("TimeGenerated", started)
                .set("QueryText", query)
                .set("ResponseCode", responseCode)
                .set("ResponseDurationMs", durationMs)
                .set("ResponseRowCount", rowCount)
                .set("RequestClientApp", caller.clientApp())
                .set("AADEmail", caller.principal())
                .set("CorrelationId", UUID.randomUUID().toString())
                .set("IsBillableQuery", Boolean.FALSE)
                .set("SourceSystem", "Vigil");
        Optional<QueryParameters.TimeWindow> window =
                timespan.filter(text -> !text.isBlank()).flatMap(text -> Timespans.parse(text, started));
        window.ifPresent(range -> row.set("QueryTimeRangeStart", range.start()).set("QueryTimeRangeEnd", range.end()));
        try {
            store.write(List.of(row.build()));
        } catch (VigilException exception) {
            // an overloaded or closing store must not turn a finished query into an error; say so loudly
            LOG.log(Level.WARNING, "could not queue the LAQueryLogs row of a query: " + exception.getMessage());
        }
    }
}
