package io.vigil.app;

import io.vigil.app.http.ApiKeys;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.detect.schedule.RuleScheduler;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workspace the detection, incident and audit tests start from, set up once here instead of in each: an
 * "audit log cleared" event (SecurityEvent 1102 on {@link #HOST}, ten minutes ago), a rule run over it (one
 * alert, one incident), keys per role, and the server as {@code vigil server} starts it on an ephemeral
 * loopback port.
 */
public final class IncidentFixture {
    /** The computer the event names, and so the alert's host entity. */
    public static final String HOST = "dc01";

    private IncidentFixture() {}

    /** Writes the event and runs {@code rule} over it once, as the scheduler would. */
    public static void raiseIncident(VigilRuntime runtime, AnalyticRule rule) throws Exception {
        writeAuditLogCleared(runtime);
        runRule(runtime, rule);
    }

    /** Writes the event, committed when this returns. */
    public static void writeAuditLogCleared(VigilRuntime runtime) throws Exception {
        runtime.store()
                .write(List.of(runtime.store()
                        .catalog()
                        .require("SecurityEvent")
                        .newRow()
                        .set("TimeGenerated", Instant.now().minus(Duration.ofMinutes(10)))
                        .set("EventID", 1102)
                        .set("Computer", HOST)
                        .build()))
                .get(30, TimeUnit.SECONDS);
    }

    /** Runs {@code rule} once over the workspace, raising its alerts and incidents. */
    public static void runRule(VigilRuntime runtime, AnalyticRule rule) throws Exception {
        KqlEngine engine = KqlEngine.builder(runtime.store()).build();
        new RuleScheduler(runtime.store(), engine, runtime.clock(), QueryLimits.DEFAULT).runDue(List.of(rule));
    }

    /** A new key of {@code principal} with {@code role}. */
    public static String key(VigilRuntime runtime, String principal, ApiKeys.Role role) throws IOException {
        return ApiKeys.create(runtime.workspace(), principal, role, Clock.systemUTC());
    }

    /** The server on an ephemeral loopback port, with nothing but the HTTP APIs. */
    static ServerCommand.Running serve(VigilRuntime runtime) throws Exception {
        return ServerCommand.start(runtime, ServeOptions.builder().build());
    }

    /** {@code http://127.0.0.1:PORT} of a started server. */
    static String baseUrl(ServerCommand.Running running) {
        return "http://127.0.0.1:" + running.server().port();
    }
}
