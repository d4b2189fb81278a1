package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.alert.AlertBuilder;
import io.vigil.detect.alert.ResultRows;
import io.vigil.detect.alert.RuleWindow;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.rule.RuleKind;
import io.vigil.detect.schedule.RuleStateLedger.RuleState;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.spi.EventStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs scheduled rules as Sentinel does, on the KQL engine: every {@code queryFrequency}, over the
 * {@code queryPeriod} ending at the run, with window ends aligned to multiples of the frequency (UTC epoch,
 * as KQL's {@code bin()}). Each rule's last window is persisted ({@link RuleStateLedger}), so after downtime
 * the missed windows are caught up one by one and a restart neither repeats nor skips one.
 *
 * <p>Late events: each run also finds rows ingested after the previous run (the hidden ingestion time)
 * whose TimeGenerated falls into windows that already ran, and runs those windows again. Alert ids are
 * derived from the rule, window and rows, so an alert raised before is recognised and not raised twice.
 * Suppression skips the windows that end within {@code suppressionDuration} after a window that alerted.
 */
public final class RuleScheduler {
    /** At most this many windows are caught up per rule and run; older missed windows are skipped. */
    public static final int MAXIMUM_WINDOWS_PER_RUN = 2_016;

    private static final Duration ONE_MICROSECOND = Duration.ofNanos(1_000);

    private final EventStore store;
    private final KqlEngine engine;
    private final Clock clock;
    private final RuleStateLedger ledger;
    private final QueryLimits limits;
    private final AlertSink sink;

    public RuleScheduler(EventStore store, KqlEngine engine, Clock clock, QueryLimits limits) {
        this.store = requireNonNull(store, "store is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.ledger = new RuleStateLedger(store);
        this.sink = new AlertSink(store, engine, limits);
    }

    /** What one pass raised: windows run, alerts written (new ones only), incidents created or changed. */
    public record Pass(int windows, List<Alert> alerts, List<Incident> incidents) {
        public Pass {
            alerts = List.copyOf(requireNonNull(alerts, "alerts is null"));
            incidents = List.copyOf(requireNonNull(incidents, "incidents is null"));
        }
    }

    /** Runs every window of the enabled scheduled rules that is due at the clock's now. */
    public Pass runDue(List<AnalyticRule> rules) throws InterruptedException {
        int windows = 0;
        List<Alert> alerts = new ArrayList<>();
        List<Incident> incidents = new ArrayList<>();
        for (AnalyticRule rule : rules) {
            if (!rule.enabled() || rule.kind() != RuleKind.SCHEDULED) {
                continue;
            }
            Pass pass = runRule(rule, clock.instant());
            windows += pass.windows();
            alerts.addAll(pass.alerts());
            incidents.addAll(pass.incidents());
        }
        return new Pass(windows, alerts, incidents);
    }

    /** The aligned window end at or before {@code instant}. */
    public static Instant alignedEnd(Instant instant, Duration frequency) {
        long step = RuleStateLedger.micros(Instant.EPOCH.plus(frequency));
        long micros = RuleStateLedger.micros(instant);
        return RuleStateLedger.fromMicros(Math.floorDiv(micros, step) * step);
    }

    /** The window a run ending at {@code end} covers. */
    public static RuleWindow window(AnalyticRule rule, Instant end) {
        return new RuleWindow(end.minus(rule.queryPeriod()), end);
    }

    private Pass runRule(AnalyticRule rule, Instant now) throws InterruptedException {
        Instant latest = alignedEnd(now, rule.queryFrequency());
        Optional<RuleState> state = ledger.state(rule.id());
        if (state.isPresent()
                && !state.get().lastWindowEnd().isBefore(latest)
                && state.get().ingestionWatermark().isEmpty()) {
            return new Pass(0, List.of(), List.of());
        }
        CompiledQuery probe = compile(rule, latest);
        Optional<Instant> watermark = ingestionWatermark(probe.tables(), now);
        TreeSet<Instant> ends = new TreeSet<>();
        if (state.isEmpty()) {
            ends.add(latest);
        } else {
            Instant end = state.get().lastWindowEnd().plus(rule.queryFrequency());
            while (!end.isAfter(latest)) {
                ends.add(end);
                end = end.plus(rule.queryFrequency());
            }
            if (state.get().ingestionWatermark().isPresent()) {
                ends.addAll(lateWindowEnds(rule, probe.tables(), state.get(), now));
            }
        }
        while (ends.size() > MAXIMUM_WINDOWS_PER_RUN) {
            ends.pollFirst();
        }
        Optional<Instant> suppressedUntil = state.flatMap(RuleState::suppressedUntil);
        Set<String> seen = new HashSet<>();
        List<Alert> alerts = new ArrayList<>();
        int windows = 0;
        for (Instant end : ends) {
            if (suppressedUntil.isPresent() && end.isBefore(suppressedUntil.get())) {
                continue;
            }
            windows++;
            List<Alert> fresh = new ArrayList<>();
            for (Alert alert : AlertBuilder.build(rule, run(engine, limits, rule, end), window(rule, end), now)) {
                if (seen.add(alert.systemAlertId())) {
                    fresh.add(alert);
                }
            }
            alerts.addAll(fresh);
            if (!fresh.isEmpty() && rule.suppressionEnabled()) {
                suppressedUntil = Optional.of(end.plus(rule.suppressionDuration()));
            }
        }
        AlertSink.Raised raised = sink.raise(rule, alerts, now);
        Instant lastEnd = latest;
        if (state.isPresent() && state.get().lastWindowEnd().isAfter(latest)) {
            lastEnd = state.get().lastWindowEnd();
        }
        Optional<Instant> newWatermark = watermark.or(() -> state.flatMap(RuleState::ingestionWatermark));
        ledger.record(rule.id(), new RuleState(lastEnd, newWatermark, suppressedUntil));
        return new Pass(windows, raised.alerts(), raised.incidents());
    }

    /** The rule's query over one window, with {@code now()} at the window's end. */
    public static ResultRows run(KqlEngine engine, QueryLimits limits, AnalyticRule rule, Instant end)
            throws InterruptedException {
        RuleWindow window = window(rule, end);
        QueryParameters parameters = new QueryParameters(
                end,
                Optional.of(new QueryParameters.TimeWindow(
                        window.start(), window.end().minus(ONE_MICROSECOND))));
        CompiledQuery query = engine.compileOrThrow(rule.query(), parameters);
        return rows(engine.run(query, limits, QueryCancellation.none()));
    }

    private CompiledQuery compile(AnalyticRule rule, Instant now) {
        return engine.compileOrThrow(rule.query(), QueryParameters.at(now));
    }

    /** The latest ingestion time of the tables a rule reads, taken before its windows run. */
    private Optional<Instant> ingestionWatermark(List<String> tables, Instant now) throws InterruptedException {
        Optional<Instant> latest = Optional.empty();
        for (String table : tables) {
            Optional<QueryResult> result =
                    AlertSink.query(engine, limits, quoteTable(table) + " | summarize max(ingestion_time())", now);
            if (result.isEmpty()
                    || result.get().rows().isEmpty()
                    || result.get().rows().get(0).get(0) == null) {
                continue;
            }
            Instant value =
                    Instant.parse(String.valueOf(result.get().rows().get(0).get(0)));
            if (latest.isEmpty() || value.isAfter(latest.get())) {
                latest = Optional.of(value);
            }
        }
        return latest;
    }

    /**
     * The ends of windows that already ran and hold rows ingested after the last run: for each frequency
     * bin of such rows, every aligned window end that can cover it.
     */
    private Set<Instant> lateWindowEnds(AnalyticRule rule, List<String> tables, RuleState state, Instant now)
            throws InterruptedException {
        Set<Instant> ends = new TreeSet<>();
        Duration frequency = rule.queryFrequency();
        for (String table : tables) {
            String kql = quoteTable(table) + " | where ingestion_time() > "
                    + datetime(state.ingestionWatermark().get())
                    + " and TimeGenerated < " + datetime(state.lastWindowEnd())
                    + " | summarize by Bin = bin(TimeGenerated, " + frequency.toSeconds() + "s)";
            Optional<QueryResult> result = AlertSink.query(engine, limits, kql, now);
            if (result.isEmpty()) {
                continue;
            }
            for (List<Object> row : result.get().rows()) {
                Instant bin = Instant.parse(String.valueOf(row.get(0)));
                Instant end = bin.plus(frequency);
                while (!end.isAfter(bin.plus(frequency).plus(rule.queryPeriod()))
                        && !end.isAfter(state.lastWindowEnd())) {
                    ends.add(end);
                    end = end.plus(frequency);
                }
            }
        }
        return ends;
    }

    private static ResultRows rows(QueryResult result) {
        return new ResultRows(
                result.columns().stream().map(QueryResult.ResultColumn::name).toList(), result.rows());
    }

    private static String datetime(Instant instant) {
        return "datetime(" + instant + ")";
    }

    private static String quoteTable(String table) {
        return "['" + table + "']";
    }
}
