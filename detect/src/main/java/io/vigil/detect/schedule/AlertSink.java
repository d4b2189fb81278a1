package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.incident.IncidentGrouper;
import io.vigil.detect.incident.IncidentReader;
import io.vigil.detect.incident.IncidentUpdate;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.engine.Compilation;
import io.vigil.engine.CompiledQuery;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryCancellation;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.spi.EventStore;
import io.vigil.spi.Json;
import io.vigil.spi.Row;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.TableSchema;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Where scheduled and NRT runs put what they raise: alerts not raised before (by SystemAlertId) go to
 * {@code SecurityAlert}, then the incidents they create or change to {@code SecurityIncident}, each write
 * committed before the next step reads. Incidents are grouped against the table's current state. Runs of
 * different rules are serialised here, so incident numbers are handed out once.
 */
public final class AlertSink {
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(2);

    private final EventStore store;
    private final KqlEngine engine;
    private final QueryLimits limits;

    public AlertSink(EventStore store, KqlEngine engine, QueryLimits limits) {
        this.store = requireNonNull(store, "store is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** The alerts that were new and written, and the incidents written for them. */
    public record Raised(List<Alert> alerts, List<Incident> incidents) {
        public Raised {
            alerts = List.copyOf(requireNonNull(alerts, "alerts is null"));
            incidents = List.copyOf(requireNonNull(incidents, "incidents is null"));
        }
    }

    public synchronized Raised raise(AnalyticRule rule, List<Alert> candidates, Instant now)
            throws InterruptedException {
        if (candidates.isEmpty()) {
            // the common case of an NRT batch; no need to look up alert ids or incidents
            return new Raised(List.of(), List.of());
        }
        List<Alert> alerts = new ArrayList<>(candidates);
        Set<String> known = existingAlertIds(rule, alerts, now);
        alerts.removeIf(alert -> known.contains(alert.systemAlertId()));
        if (alerts.isEmpty()) {
            return new Raised(List.of(), List.of());
        }
        TableSchema securityAlert = store.catalog().require("SecurityAlert");
        write(alerts.stream().map(alert -> alert.toRow(securityAlert)).toList());
        List<Incident> current = currentIncidents(now);
        int next = current.stream().mapToInt(Incident::number).max().orElse(0) + 1;
        List<Incident> incidents = IncidentGrouper.group(rule, alerts, current, next, now);
        TableSchema securityIncident = store.catalog().require("SecurityIncident");
        write(incidents.stream()
                .map(incident -> incident.toRow(securityIncident, now, "Vigil", store.workspaceId()))
                .toList());
        return new Raised(alerts, incidents);
    }

    /**
     * Applies a person's change to incident {@code number} as a new SecurityIncident row (Sentinel keeps every
     * state); serialised with {@link #raise} so a change and a new alert never write from the same old state.
     * Empty when there is no such incident.
     */
    public synchronized Optional<Incident> update(int number, IncidentUpdate change, Instant now, String modifiedBy)
            throws InterruptedException {
        Optional<Incident> found = currentIncidents(now).stream()
                .filter(incident -> incident.number() == number)
                .findFirst();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Incident updated = found.get().update(change, now);
        write(List.of(
                updated.toRow(store.catalog().require("SecurityIncident"), now, modifiedBy, store.workspaceId())));
        return Optional.of(updated);
    }

    /** The latest state of every incident, as the SecurityIncident table holds it. */
    public List<Incident> currentIncidents(Instant now) throws InterruptedException {
        List<Incident> incidents = new ArrayList<>();
        Optional<QueryResult> result = query(engine, limits, IncidentReader.CURRENT_STATE, now);
        if (result.isEmpty()) {
            return incidents;
        }
        List<QueryResult.ResultColumn> columns = result.get().columns();
        for (List<Object> values : result.get().rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int index = 0; index < columns.size(); index++) {
                row.put(columns.get(index).name(), values.get(index));
            }
            incidents.add(IncidentReader.read(row));
        }
        return incidents;
    }

    private Set<String> existingAlertIds(AnalyticRule rule, List<Alert> alerts, Instant now)
            throws InterruptedException {
        if (alerts.isEmpty()) {
            return Set.of();
        }
        String ids =
                alerts.stream().map(alert -> Json.quote(alert.systemAlertId())).collect(Collectors.joining(", "));
        String kql = "SecurityAlert | where AlertType == " + Json.quote(rule.id()) + " and SystemAlertId in (" + ids
                + ") | distinct SystemAlertId";
        Set<String> known = new HashSet<>();
        query(engine, limits, kql, now)
                .ifPresent(result -> result.rows().forEach(row -> known.add(String.valueOf(row.get(0)))));
        return known;
    }

    /** A helper query; empty when it does not compile (a table without TimeGenerated or ingestion time). */
    static Optional<QueryResult> query(KqlEngine engine, QueryLimits limits, String kql, Instant now)
            throws InterruptedException {
        return switch (engine.compile(kql, QueryParameters.at(now))) {
            case CompiledQuery compiled -> Optional.of(engine.run(compiled, limits, QueryCancellation.none()));
            case Compilation.Rejected rejected -> Optional.empty();
        };
    }

    private void write(List<Row> rows) throws InterruptedException {
        if (rows.isEmpty()) {
            return;
        }
        try {
            store.write(rows).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot store alerts or incidents", e);
        }
    }
}
