package io.vigil.app.query;

import io.vigil.metrics.Metrics;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Small deterministic fixture tables in a real store: a few sign-ins and Windows security events on
 * 2026-01-10, queried with {@code now} fixed at 2026-01-11T00:00:00Z.
 */
final class QueryFixtures {
    static final Instant NOW = Instant.parse("2026-01-11T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private QueryFixtures() {}

    static DuckDbStore openStore(Path dataDir) {
        return DuckDbStore.open(
                dataDir, StoreOptions.builder().tenantId("fixture-tenant").build(), CLOCK, new Metrics());
    }

    static DuckDbStore openWithFixtures(Path dataDir) throws Exception {
        DuckDbStore store = openStore(dataDir);
        List<Row> rows = new ArrayList<>();
        TableSchema signins = store.catalog().require("SigninLogs");
        rows.add(signin(
                signins,
                "2026-01-10T08:00:00Z",
                "alice@contoso.com",
                "10.0.0.1",
                "0",
                "Azure Portal",
                "US",
                "{\"city\":\"Seattle\",\"geo\":{\"lat\":47.6}}",
                120L,
                false));
        rows.add(signin(
                signins,
                "2026-01-10T08:30:00Z",
                "bob@contoso.com",
                "10.0.0.2",
                "50126",
                "Azure Portal",
                "DE",
                "{\"city\":\"Berlin\",\"geo\":{\"lat\":52.5}}",
                300L,
                true));
        rows.add(signin(
                signins,
                "2026-01-10T09:15:00Z",
                "alice@contoso.com",
                "203.0.113.7",
                "50126",
                "Outlook",
                "FR",
                "{\"city\":\"Paris\",\"geo\":{\"lat\":48.9}}",
                80L,
                true));
        rows.add(signin(
                signins,
                "2026-01-10T10:45:00Z",
                "carol@contoso.com",
                "10.0.0.3",
                "0",
                "Teams",
                "US",
                "{\"city\":\"Boston\",\"geo\":{\"lat\":42.4}}",
                null,
                false));
        rows.add(signin(
                signins,
                "2026-01-10T23:59:00Z",
                "alice@contoso.com",
                "10.0.0.1",
                "0",
                "Outlook",
                "US",
                "{\"city\":\"Seattle\",\"geo\":{\"lat\":47.6}}",
                95L,
                false));
        TableSchema events = store.catalog().require("SecurityEvent");
        rows.add(event(
                events,
                "2026-01-10T08:01:00Z",
                "DC01",
                "CONTOSO\\alice",
                4624,
                3,
                "10.0.0.1",
                "An account was" + " successfully logged on."));
        rows.add(event(
                events,
                "2026-01-10T08:02:00Z",
                "DC01",
                "CONTOSO\\bob",
                4625,
                3,
                "10.0.0.2",
                "An account failed" + " to log on."));
        rows.add(event(
                events,
                "2026-01-10T08:03:00Z",
                "DC01",
                "CONTOSO\\bob",
                4625,
                10,
                "10.0.0.2",
                "An account failed" + " to log on."));
        rows.add(event(
                events,
                "2026-01-10T09:00:00Z",
                "WS-17",
                "CONTOSO\\carol",
                4688,
                0,
                "",
                "A new process has been" + " created."));
        rows.add(event(
                events,
                "2026-01-10T09:30:00Z",
                "WS-17",
                "CONTOSO\\alice",
                4624,
                2,
                "",
                "An account was" + " successfully logged on."));
        store.write(rows).get(30, TimeUnit.SECONDS);
        return store;
    }

    private static Row signin(
            TableSchema table,
            String time,
            String user,
            String ip,
            String resultType,
            String app,
            String location,
            String details,
            Long durationMs,
            boolean risky) {
        Row.Builder row = table.newRow()
                .set("TimeGenerated", Instant.parse(time))
                .set("UserPrincipalName", user)
                .set("IPAddress", ip)
                .set("ResultType", resultType)
                .set("AppDisplayName", app)
                .set("Location", location)
                .set("LocationDetails", new Dynamic(details))
                .set("IsRisky", risky)
                .set("Type", "SigninLogs");
        if (durationMs != null) {
            row.set("DurationMs", durationMs);
        }
        return row.build();
    }

    private static Row event(
            TableSchema table,
            String time,
            String computer,
            String account,
            int eventId,
            int logonType,
            String ip,
            String activity) {
        return table.newRow()
                .set("TimeGenerated", Instant.parse(time))
                .set("Computer", computer)
                .set("Account", account)
                .set("EventID", eventId)
                .set("LogonType", logonType)
                .set("IpAddress", ip)
                .set("Activity", activity)
                .set("Type", "SecurityEvent")
                .build();
    }
}
