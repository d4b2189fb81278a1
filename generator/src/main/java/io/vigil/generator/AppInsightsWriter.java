package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * Application Insights telemetry as the SDKs post it to the track endpoint: JSON arrays of
 * envelopes ({@code ver, name, time, sampleRate, iKey, tags, data{baseType, baseData}}), one file
 * per app and hour at {@code appinsights/<app>-<n>.json}. Envelope and base-data field names follow
 * the Application Insights "EndpointSpecs" schemas (Envelope, RequestData, RemoteDependencyData,
 * ExceptionData, MessageData, EventData, PageViewData, MetricData, AvailabilityData).
 */
final class AppInsightsWriter {
    private record AppTarget(String name, String instrumentationKey, String sdkVersion, String host) {
        String envelopeName(String type) {
            return "Microsoft.ApplicationInsights." + instrumentationKey.replace("-", "") + "." + type;
        }
    }

    private static final AppTarget API =
            new AppTarget("orders-api", "0c5a9f3e-2d41-4b6c-8e7f-9a0b1c2d3e4f", "java:3.6.2", "vm-app-01");
    private static final AppTarget WEB =
            new AppTarget("shop-web", "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928", "javascript:3.3.4", "vm-web-01");

    private final GeneratorOptions options;
    private final Rand rand;
    private final List<Timed<ObjectNode>> api = new ArrayList<>();
    private final List<Timed<ObjectNode>> web = new ArrayList<>();

    private AppInsightsWriter(GeneratorOptions options) {
        this.options = options;
        this.rand = Rand.of(options.seed(), "appinsights");
    }

    static void write(Output out, GeneratorOptions options) throws IOException {
        AppInsightsWriter writer = new AppInsightsWriter(options);
        writer.apiTraffic();
        writer.webTraffic();
        writer.periodic();
        writer.flush(out, API, writer.api);
        writer.flush(out, WEB, writer.web);
    }

    private void flush(Output out, AppTarget app, List<Timed<ObjectNode>> envelopes) throws IOException {
        SortedMap<Instant, List<ObjectNode>> hours = Timed.byHour(envelopes);
        for (Map.Entry<Instant, List<ObjectNode>> hour : hours.entrySet()) {
            long index = (hour.getKey().getEpochSecond()
                            - Timestamps.truncateToHour(options.start()).getEpochSecond())
                    / 3600;
            ArrayNode array = Output.array();
            hour.getValue().forEach(array::add);
            out.write(
                    String.format(Locale.ROOT, "appinsights/%s-%03d.json", app.name(), index),
                    Output.json(array) + "\n");
        }
        out.count("appinsights", envelopes.size());
    }

    private void apiTraffic() {
        List<String[]> routes = List.of(
                new String[] {"GET /api/orders/{id}", "/api/orders/"},
                new String[] {"GET /api/orders", "/api/orders?page="},
                new String[] {"POST /api/orders", "/api/orders"},
                new String[] {"GET /api/inventory/{sku}", "/api/inventory/SKU-"});
        for (int i = Volume.of(options, 11000); i > 0; i--) {
            Instant time = rand.busyInstant(options.start(), options.end());
            String[] route = rand.pick(routes);
            String operationId = rand.hex(32).toLowerCase(Locale.ROOT);
            String requestId = rand.hex(16).toLowerCase(Locale.ROOT);
            boolean failed = rand.chance(0.02);
            long durationMs = rand.between(8, 250);
            String path = route[1];
            if (!path.endsWith("orders")) {
                path = path + rand.between(1, 90000);
            }
            ObjectNode request = envelope(API, "Request", "RequestData", time, operationId, route[0], null);
            tags(request).put("ai.location.ip", "10.0.1.4");
            ObjectNode requestData = baseData(request);
            requestData.put("id", requestId);
            requestData.put("name", route[0]);
            requestData.put("duration", Timestamps.timeSpan(durationMs));
            requestData.put("responseCode", failed ? "500" : "200");
            requestData.put("success", !failed);
            requestData.put("url", "https://orders-api.contoso.com" + path);
            requestData.putObject("properties").put("_MS.ProcessedByMetricExtractors", "(Name:'Requests', Ver:'1.1')");
            api.add(new Timed<>(time, request));

            ObjectNode sql = envelope(
                    API,
                    "RemoteDependency",
                    "RemoteDependencyData",
                    time.plusMillis(2),
                    operationId,
                    route[0],
                    requestId);
            ObjectNode sqlData = baseData(sql);
            sqlData.put("name", "orders");
            sqlData.put("id", rand.hex(16).toLowerCase(Locale.ROOT));
            sqlData.put("resultCode", failed ? "-2" : "0");
            sqlData.put("duration", Timestamps.timeSpan(durationMs / 2));
            sqlData.put("success", !failed);
            sqlData.put("data", "SELECT [o].[Id], [o].[Total] FROM [dbo].[Orders] AS [o] WHERE [o].[Id] = @p0");
            sqlData.put("target", Estate.SQL_SERVER + ".database.windows.net | " + Estate.SQL_DATABASE);
            sqlData.put("type", "SQL");
            api.add(new Timed<>(time.plusMillis(2), sql));

            if (rand.chance(0.4)) {
                ObjectNode http = envelope(
                        API,
                        "RemoteDependency",
                        "RemoteDependencyData",
                        time.plusMillis(3),
                        operationId,
                        route[0],
                        requestId);
                ObjectNode httpData = baseData(http);
                httpData.put("name", "GET /secrets/sql-password");
                httpData.put("id", rand.hex(16).toLowerCase(Locale.ROOT));
                httpData.put("resultCode", "200");
                httpData.put("duration", Timestamps.timeSpan(rand.between(3, 40)));
                httpData.put("success", true);
                httpData.put(
                        "data",
                        "https://" + Estate.KEY_VAULT + ".vault.azure.net/secrets/sql-password?api-version=7.4");
                httpData.put("target", Estate.KEY_VAULT + ".vault.azure.net");
                httpData.put("type", "Http");
                api.add(new Timed<>(time.plusMillis(3), http));
            }
            if (failed) {
                ObjectNode exception = envelope(
                        API,
                        "Exception",
                        "ExceptionData",
                        time.plusMillis(durationMs),
                        operationId,
                        route[0],
                        requestId);
                ObjectNode exceptionData = baseData(exception);
                ObjectNode detail = exceptionData.putArray("exceptions").addObject();
                detail.put("id", rand.between(1_000_000, 9_999_999));
                detail.put("outerId", 0);
                detail.put("typeName", "java.sql.SQLTransientConnectionException");
                detail.put("message", "HikariPool-1 - Connection is not available, request timed out after 30000ms.");
                detail.put("hasFullStack", true);
                ArrayNode stack = detail.putArray("parsedStack");
                ObjectNode frame = stack.addObject();
                frame.put("level", 0);
                frame.put("method", "com.zaxxer.hikari.pool.HikariPool.createTimeoutException");
                frame.put("assembly", "hikari-cp-5.1.0.jar");
                frame.put("fileName", "HikariPool.java");
                frame.put("line", 686);
                ObjectNode caller = stack.addObject();
                caller.put("level", 1);
                caller.put("method", "com.contoso.orders.OrderRepository.find");
                caller.put("assembly", "orders-api.jar");
                caller.put("fileName", "OrderRepository.java");
                caller.put("line", 42);
                exceptionData.put("severityLevel", "Error");
                exceptionData.put(
                        "problemId",
                        "java.sql.SQLTransientConnectionException at com.contoso.orders.OrderRepository.find");
                api.add(new Timed<>(time.plusMillis(durationMs), exception));
            }
            if (rand.chance(0.3)) {
                ObjectNode message =
                        envelope(API, "Message", "MessageData", time.plusMillis(1), operationId, route[0], requestId);
                ObjectNode messageData = baseData(message);
                messageData.put("message", "Handled " + route[0] + " in " + durationMs + " ms");
                messageData.put("severityLevel", durationMs > 200 ? "Warning" : "Information");
                messageData.putObject("properties").put("LoggerName", "com.contoso.orders.OrderController");
                api.add(new Timed<>(time.plusMillis(1), message));
            }
        }
    }

    private void webTraffic() {
        List<String> pages = List.of("Home", "Catalog", "Product", "Cart", "Checkout");
        for (int i = Volume.of(options, 5000); i > 0; i--) {
            Instant time = rand.busyInstant(options.start(), options.end());
            String page = rand.pick(pages);
            String operationId = rand.hex(32).toLowerCase(Locale.ROOT);
            String user = rand.hex(5).toLowerCase(Locale.ROOT);
            ObjectNode view = envelope(WEB, "PageView", "PageViewData", time, operationId, page, null);
            tags(view).put("ai.user.id", user);
            tags(view).put("ai.session.id", rand.hex(5).toLowerCase(Locale.ROOT));
            tags(view).put("ai.device.type", "Browser");
            ObjectNode viewData = baseData(view);
            viewData.put("name", page);
            viewData.put("url", "https://shop.contoso.com/" + page.toLowerCase(Locale.ROOT));
            viewData.put("duration", Timestamps.timeSpan(rand.between(150, 3000)));
            viewData.put("id", rand.hex(16).toLowerCase(Locale.ROOT));
            viewData.put("referrerUri", "https://www.bing.com/");
            viewData.putObject("properties").put("refUri", "https://www.bing.com/");
            web.add(new Timed<>(time, view));

            ObjectNode ajax = envelope(
                    WEB, "RemoteDependency", "RemoteDependencyData", time.plusMillis(300), operationId, page, null);
            ObjectNode ajaxData = baseData(ajax);
            ajaxData.put("name", "GET /api/orders");
            ajaxData.put("id", "|" + operationId + "." + rand.hex(16).toLowerCase(Locale.ROOT));
            ajaxData.put("resultCode", "200");
            ajaxData.put("duration", Timestamps.timeSpan(rand.between(20, 300)));
            ajaxData.put("success", true);
            ajaxData.put("data", "https://orders-api.contoso.com/api/orders?page=1");
            ajaxData.put("target", "orders-api.contoso.com");
            ajaxData.put("type", "Ajax");
            web.add(new Timed<>(time.plusMillis(300), ajax));

            if (page.equals("Checkout") && rand.chance(0.6)) {
                ObjectNode event = envelope(WEB, "Event", "EventData", time.plusSeconds(20), operationId, page, null);
                ObjectNode eventData = baseData(event);
                eventData.put("name", "CheckoutCompleted");
                eventData.putObject("properties").put("paymentMethod", rand.pick(List.of("card", "paypal", "invoice")));
                eventData.putObject("measurements").put("basketValue", rand.between(5, 900) + 0.99);
                web.add(new Timed<>(time.plusSeconds(20), event));
            }
        }
    }

    private void periodic() {
        List<String> locations = List.of("West Europe", "North Europe", "East US");
        for (Instant tick = options.start(); tick.isBefore(options.end()); tick = tick.plusSeconds(300)) {
            for (AppTarget app : List.of(API, WEB)) {
                ObjectNode metric = envelope(app, "Metric", "MetricData", tick, null, null, null);
                ArrayNode metrics = baseData(metric).putArray("metrics");
                ObjectNode point = metrics.addObject();
                point.put("name", "% Processor Time");
                point.put("value", Math.round(rand.unit() * 6000) / 100.0);
                point.put("count", 1);
                ObjectNode memory = metrics.addObject();
                memory.put("name", "Available Bytes");
                memory.put("value", (double) rand.between(1_000_000_000L, 4_000_000_000L));
                memory.put("count", 1);
                destination(app).add(new Timed<>(tick, metric));
            }
            for (String location : locations) {
                Instant time = tick.plusSeconds(rand.between(0, 60));
                ObjectNode ping = envelope(
                        WEB,
                        "Availability",
                        "AvailabilityData",
                        time,
                        rand.hex(32).toLowerCase(Locale.ROOT),
                        null,
                        null);
                ObjectNode data = baseData(ping);
                data.put("id", rand.guid());
                data.put("name", "shop home page");
                data.put("duration", Timestamps.timeSpan(rand.between(80, 900)));
                data.put("success", true);
                data.put("runLocation", location);
                data.put("message", "Passed");
                data.putObject("properties").put("FullTestResultAvailable", "false");
                web.add(new Timed<>(time, ping));
            }
        }
    }

    private List<Timed<ObjectNode>> destination(AppTarget app) {
        if (app.equals(API)) {
            return api;
        }
        return web;
    }

    private ObjectNode envelope(
            AppTarget app,
            String type,
            String baseType,
            Instant time,
            String operationId,
            String operationName,
            String parentId) {
        ObjectNode envelope = Output.object();
        envelope.put("ver", 1);
        envelope.put("name", app.envelopeName(type));
        envelope.put("time", Timestamps.azure(time));
        envelope.put("sampleRate", 100.0);
        envelope.put("iKey", app.instrumentationKey());
        ObjectNode tags = envelope.putObject("tags");
        tags.put("ai.cloud.role", app.name());
        tags.put("ai.cloud.roleInstance", app.host());
        tags.put("ai.internal.sdkVersion", app.sdkVersion());
        if (operationId != null) {
            tags.put("ai.operation.id", operationId);
        }
        if (operationName != null) {
            tags.put("ai.operation.name", operationName);
        }
        if (parentId != null) {
            tags.put("ai.operation.parentId", parentId);
        }
        ObjectNode data = envelope.putObject("data");
        data.put("baseType", baseType);
        data.putObject("baseData").put("ver", 2);
        return envelope;
    }

    private static ObjectNode tags(ObjectNode envelope) {
        return (ObjectNode) envelope.get("tags");
    }

    private static ObjectNode baseData(ObjectNode envelope) {
        return (ObjectNode) envelope.get("data").get("baseData");
    }
}
