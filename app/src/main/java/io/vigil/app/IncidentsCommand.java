package io.vigil.app;

import io.vigil.app.audit.AuditTrail;
import io.vigil.detect.incident.Incident;
import io.vigil.detect.incident.IncidentStatus;
import io.vigil.detect.incident.IncidentUpdate;
import io.vigil.detect.schedule.AlertSink;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.engine.QueryParameters;
import io.vigil.engine.QueryResult;
import io.vigil.spi.AuditLog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil alerts list} and {@code vigil incidents list|show|update} on a workspace. */
final class IncidentsCommand {
    private IncidentsCommand() {}

    @Command(
            name = "alerts",
            mixinStandardHelpOptions = true,
            description = "Work with alerts (the SecurityAlert table).",
            subcommands = {Alerts.ListAlerts.class})
    static final class Alerts {
        @Command(
                name = "list",
                mixinStandardHelpOptions = true,
                description = "List alerts, newest first: time, severity, name, compromised entity, SystemAlertId.")
        static final class ListAlerts implements Callable<Integer> {
            @Mixin
            DataOption data;

            @Mixin
            ServerOption server;

            @Override
            public Integer call() throws Exception {
                Optional<SecurityInsightsClient> client = server.client(data.dataDir);
                if (client.isPresent()) {
                    return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.listAlerts(client.get()));
                }
                try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                    QueryResult result = KqlEngine.builder(runtime.store())
                            .build()
                            .execute(
                                    "SecurityAlert | order by TimeGenerated desc, AlertName asc | project"
                                            + " TimeGenerated, AlertSeverity, AlertName, CompromisedEntity, SystemAlertId",
                                    QueryParameters.at(runtime.clock().instant()),
                                    QueryLimits.DEFAULT);
                    for (List<Object> row : result.rows()) {
                        System.out.println(String.join(
                                "\t",
                                row.stream().map(value -> String.valueOf(value)).toList()));
                    }
                }
                return 0;
            }
        }
    }

    @Command(
            name = "incidents",
            mixinStandardHelpOptions = true,
            description = "Work with incidents (the latest SecurityIncident row of each).",
            subcommands = {ListIncidents.class, Show.class, Update.class, Comment.class})
    static final class Incidents {}

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List incidents: number, status, severity, alerts, owner, title.")
    static final class ListIncidents implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.listIncidents(client.get()));
            }
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                for (Incident incident : current(runtime)) {
                    System.out.println(String.join(
                            "\t",
                            Integer.toString(incident.number()),
                            incident.status().sentinelName(),
                            incident.severity().sentinelName(),
                            incident.alertIds().size() + " alerts",
                            incident.owner().orElse("-"),
                            incident.title()));
                }
            }
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one incident with its alerts and comments.")
    static final class Show implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "NUMBER", description = "Incident number")
        int number;

        @Override
        public Integer call() throws Exception {
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.showIncident(client.get(), number));
            }
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                Optional<Incident> found = find(runtime, number);
                if (found.isEmpty()) {
                    System.err.println("vigil: no incident " + number);
                    return 2;
                }
                Incident incident = found.get();
                System.out.println("number: " + incident.number());
                System.out.println("title: " + incident.title());
                System.out.println("status: " + incident.status().sentinelName());
                System.out.println("severity: " + incident.severity().sentinelName());
                System.out.println("owner: " + incident.owner().orElse("-"));
                System.out.println(
                        "classification: " + incident.classification().orElse("-")
                                + incident.classificationReason()
                                        .map(reason -> " (" + reason + ")")
                                        .orElse(""));
                System.out.println("activity: " + incident.firstActivityTime() + " .. " + incident.lastActivityTime());
                System.out.println("rules: " + String.join(", ", incident.ruleIds()));
                incident.alertIds().forEach(id -> System.out.println("alert: " + id));
                incident.comments().forEach(comment -> System.out.println("comment: " + comment));
            }
            return 0;
        }
    }

    @Command(
            name = "update",
            mixinStandardHelpOptions = true,
            description = "Change an incident's status, owner, classification or add a comment; written as a new row.")
    static final class Update implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(paramLabel = "NUMBER", description = "Incident number")
        int number;

        @Option(names = "--status", description = "New, Active or Closed")
        Optional<String> status;

        @Option(names = "--owner", description = "Who works the incident")
        Optional<String> owner;

        @Option(names = "--classification", description = "TruePositive, BenignPositive, FalsePositive or Undetermined")
        Optional<String> classification;

        @Option(names = "--reason", description = "Classification reason, e.g. SuspiciousActivity")
        Optional<String> reason;

        @Option(names = "--comment", description = "A comment to add")
        Optional<String> comment;

        @Override
        public Integer call() throws Exception {
            Optional<IncidentStatus> newStatus = Optional.empty();
            if (status.isPresent()) {
                newStatus = IncidentStatus.fromName(status.get());
                if (newStatus.isEmpty()) {
                    System.err.println("vigil: --status takes New, Active or Closed, not " + status.get());
                    return 2;
                }
            }
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> RemoteDetectionCommands.updateIncident(
                        client.get(), number, status, owner, classification, reason, comment));
            }
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                Optional<Incident> updated = written(
                        runtime,
                        number,
                        new IncidentUpdate(newStatus, owner, classification, reason, Optional.empty(), comment),
                        "vigil incidents update");
                if (updated.isEmpty()) {
                    System.err.println("vigil: no incident " + number);
                    return 2;
                }
                System.out.println(
                        "incident " + number + ": " + updated.get().status().sentinelName());
            }
            return 0;
        }
    }

    @Command(
            name = "comment",
            mixinStandardHelpOptions = true,
            description = "Add a comment to an incident; written as a new row.")
    static final class Comment implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Mixin
        ServerOption server;

        @Parameters(index = "0", paramLabel = "NUMBER", description = "Incident number")
        int number;

        @Parameters(index = "1", paramLabel = "TEXT", description = "The comment")
        String text;

        @Override
        public Integer call() throws Exception {
            if (text.isBlank()) {
                System.err.println("vigil: the comment is empty");
                return 2;
            }
            Optional<SecurityInsightsClient> client = server.client(data.dataDir);
            if (client.isPresent()) {
                return RemoteDetectionCommands.run(() -> {
                    RemoteDetectionCommands.addComment(client.get(), number, text);
                    System.out.println("incident " + number + ": comment added");
                    return 0;
                });
            }
            try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
                Optional<Incident> updated = written(
                        runtime,
                        number,
                        new IncidentUpdate(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(text)),
                        "vigil incidents comment");
                if (updated.isEmpty()) {
                    System.err.println("vigil: no incident " + number);
                    return 2;
                }
                System.out.println("incident " + number + ": comment added");
            }
            return 0;
        }
    }

    /** Writes an incident change from the command line and records it in the audit trail. */
    private static Optional<Incident> written(VigilRuntime runtime, int number, IncidentUpdate change, String by)
            throws InterruptedException {
        KqlEngine engine = KqlEngine.builder(runtime.store()).build();
        return written(
                runtime,
                engine,
                find(runtime, number),
                number,
                change,
                runtime.clock().instant(),
                AuditLog.Actor.cli(),
                by);
    }

    /**
     * Writes an incident change as a new SecurityIncident row and records it in the audit trail, before and
     * after: the one road for the command line and the Sentinel API.
     */
    static Optional<Incident> written(
            VigilRuntime runtime,
            KqlEngine engine,
            Optional<Incident> before,
            int number,
            IncidentUpdate change,
            Instant at,
            AuditLog.Actor actor,
            String by)
            throws InterruptedException {
        Optional<Incident> updated =
                new AlertSink(runtime.store(), engine, QueryLimits.DEFAULT).update(number, change, at, by);
        if (updated.isPresent()) {
            runtime.audit()
                    .record(
                            actor,
                            incidentAction(change.isCommentOnly()),
                            Integer.toString(number),
                            before.flatMap(IncidentsCommand::auditState),
                            auditState(updated.get()));
        }
        return updated;
    }

    private static List<Incident> current(VigilRuntime runtime) throws InterruptedException {
        KqlEngine engine = KqlEngine.builder(runtime.store()).build();
        return new AlertSink(runtime.store(), engine, QueryLimits.DEFAULT)
                .currentIncidents(runtime.clock().instant());
    }

    private static Optional<Incident> find(VigilRuntime runtime, int number) throws InterruptedException {
        return current(runtime).stream()
                .filter(incident -> incident.number() == number)
                .findFirst();
    }

    /** {@code incidents.comment} for a change that only adds a comment, else {@code incidents.update}. */
    private static String incidentAction(boolean commentOnly) {
        if (commentOnly) {
            return "incidents.comment";
        }
        return "incidents.update";
    }

    /** An incident as the audit trail records it. */
    private static Optional<String> auditState(Incident incident) {
        return AuditTrail.state(
                "status", incident.status().sentinelName(),
                "owner", incident.owner(),
                "classification", incident.classification(),
                "classificationReason", incident.classificationReason(),
                "classificationComment", incident.classificationComment(),
                "comments", incident.comments());
    }
}
