package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.alert.AlertBuilder;
import io.vigil.detect.alert.ResultRows;
import io.vigil.detect.alert.RuleWindow;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleKind;
import io.vigil.engine.BatchSource;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.spi.BatchCommitted;
import io.vigil.spi.CommitListener;
import io.vigil.spi.CommitStream;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.EventStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs NRT rules on the commit stream instead of a timer: a durable subscriber ({@value #SUBSCRIBER}) gets
 * every committed batch once, in commit order, and each enabled NRT rule that reads the batch's table runs
 * over that batch's rows (other tables whole, so joins and unions work). A batch redelivered after a crash
 * yields the same alert ids, which {@link AlertSink} recognises, so no alert is raised twice.
 */
public final class NrtRunner implements CommitListener {
    public static final String SUBSCRIBER = "detect-nrt";

    /** Rule queries whose tables are remembered; past this the memory starts over (rules were replaced). */
    private static final int MAXIMUM_REMEMBERED_QUERIES = 1_000;

    private final EventStore store;
    private final KqlEngine workspaceEngine;
    private final Clock clock;
    private final QueryLimits limits;
    private final AlertSink sink;
    private final Supplier<List<AnalyticRule>> rules;
    private final Map<String, Set<String>> tablesByQuery = new ConcurrentHashMap<>();

    public NrtRunner(
            EventStore store, Clock clock, QueryLimits limits, AlertSink sink, Supplier<List<AnalyticRule>> rules) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.rules = requireNonNull(rules, "rules is null");
        this.workspaceEngine = KqlEngine.builder(store).clock(clock).build();
    }

    /** Subscribes; a first start begins with the next commit, a restart resumes after the last batch handled. */
    public CommitSubscription start() {
        return store.subscribe(SUBSCRIBER, CommitStream.SubscriptionStart.LATEST, this);
    }

    @Override
    public void onBatch(BatchCommitted batch) throws InterruptedException {
        if (batch.table().equals("SecurityAlert") || batch.table().equals("SecurityIncident")) {
            return;
        }
        List<AnalyticRule> nrtRules = rules.get().stream()
                .filter(rule -> rule.enabled() && rule.kind() == RuleKind.NRT)
                .toList();
        if (nrtRules.isEmpty()
                || store.storedTable(batch.table()).isEmpty()
                || store.batchIdColumn().isEmpty()) {
            return;
        }
        // the batch's rows picked by batch id: two batches committed in the same microsecond stay apart
        KqlEngine batchEngine = KqlEngine.builder(BatchSource.withOtherTables(store, batch))
                .clock(clock)
                .build();
        for (AnalyticRule rule : nrtRules) {
            QueryParameters parameters = QueryParameters.at(batch.ingestionTime());
            // a rule that does not compile (any more) is skipped rather than holding up the stream
            Optional<Set<String>> reads = tablesRead(rule.query(), parameters);
            if (reads.isEmpty()
                    || !reads.get().contains(batch.table())
                    || !(batchEngine.compile(rule.query(), parameters) instanceof CompiledQuery query)) {
                continue;
            }
            QueryResult result = batchEngine.run(query, limits, QueryCancellation.none());
            // the window is the batch's commit minute, so a redelivered batch yields the same alert ids
            RuleWindow window =
                    new RuleWindow(batch.ingestionTime().minus(AnalyticRule.NRT_INTERVAL), batch.ingestionTime());
            ResultRows rows = new ResultRows(
                    result.columns().stream()
                            .map(QueryResult.ResultColumn::name)
                            .toList(),
                    result.rows());
            sink.raise(rule, AlertBuilder.build(rule, rows, window, clock.instant()), clock.instant());
        }
    }

    /**
     * The tables a rule's query reads, compiled against the whole workspace once per query text: a busy table
     * commits many batches a second, and which tables a query reads does not change once it compiles. A query
     * that does not compile is not remembered, so it is tried again once its tables exist.
     */
    private Optional<Set<String>> tablesRead(String query, QueryParameters parameters) {
        Set<String> known = tablesByQuery.get(query);
        if (known != null) {
            return Optional.of(known);
        }
        if (!(workspaceEngine.compile(query, parameters) instanceof CompiledQuery compiled)) {
            return Optional.empty();
        }
        Set<String> tables = Set.copyOf(compiled.tables());
        if (tablesByQuery.size() >= MAXIMUM_REMEMBERED_QUERIES) {
            tablesByQuery.clear();
        }
        tablesByQuery.put(query, tables);
        return Optional.of(tables);
    }
}
