package io.vigil.app;

import io.vigil.app.http.ApiKeys;
import io.vigil.app.ui.UiAssets;
import io.vigil.detect.library.RuleLibrary;
import io.vigil.detect.schedule.DetectionService;
import io.vigil.ingest.syslog.SyslogListener;
import io.vigil.ingest.syslog.SyslogListeners;
import io.vigil.store.DuckDbResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Vigil server (HTTP APIs, syslog listeners, Kafka / Event Hubs consumer) on a workspace.")
final class ServerCommand implements Callable<Integer> {
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    @Mixin
    DataOption data;

    @Mixin
    ConfigOption config;

    @Mixin
    ServerFlags server;

    @Override
    public Integer call() throws Exception {
        // flags are checked before the workspace is opened
        ServeOptions options = server.options();
        Optional<Path> geoIpDatabase = server.geoIp.database();
        DuckDbResources resources = server.store.resources();
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir, geoIpDatabase, resources)) {
            serve(runtime, options);
        }
        return 0;
    }

    /** Starts what this command's flags describe on {@code runtime} and returns at once (tests use it). */
    Running start(VigilRuntime runtime) throws Exception {
        return start(runtime, server.options());
    }

    /**
     * Starts the HTTP server (over HTTPS when TLS is given, with the query limits on every API query and the
     * HTTP limits on connections and ingestion requests), the syslog listeners and the feeds, prints how to reach them, and runs until the process is stopped; then stops reading and waits
     * until what was read is committed.
     */
    static void serve(VigilRuntime runtime, ServeOptions options) throws Exception {
        String bind = options.bind();
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (Running running = start(runtime, options)) {
            VigilServer server = running.server();
            String url = server.scheme() + "://" + bind + ":" + server.port();
            System.out.println("vigil: listening on " + url + " (workspace "
                    + runtime.workspace().workspaceId() + ")");
            System.out.println("vigil: web UI at " + url + UiAssets.PREFIX + " (sign in with an API key)");
            for (SyslogListener listener : running.listeners().listeners()) {
                System.out.println("vigil: " + listener.transport().input() + " listening on " + bind + ":"
                        + listener.port() + " (" + listener.transport().description() + "; "
                        + listener.senders().describe() + ")");
            }
            for (String feed : running.feeds().descriptions()) {
                System.out.println("vigil: " + feed);
            }
            runtime.geoIp()
                    .ifPresent(database -> System.out.println("vigil: geo_info_from_ip_address reads " + database.file()
                            + " (" + database.databaseType() + ")"));
            running.keys()
                    .createdAdminKey()
                    .ifPresentOrElse(
                            path -> System.out.println("vigil: created the admin API key in " + path
                                    + " (mode 0600); send it as 'Authorization: Bearer <key>'"),
                            () -> System.out.println("vigil: admin API key: "
                                    + runtime.workspace().secretsDir().resolve("admin.key")));
            if (options.tls().isPresent()) {
                System.out.println("vigil: try  curl --cacert <CA or certificate PEM> " + url + "/health");
            } else {
                System.out.println("vigil: try  curl " + url + "/health");
            }
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                // the JVM exits when its hooks return: wait until the listeners have written what they read
                try {
                    closed.await(SHUTDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            stopped.await();
        } finally {
            closed.countDown();
        }
    }

    /**
     * Starts everything {@code vigil server} runs (HTTP server, retention, syslog listeners, feeds) and
     * returns at once; tests start a server this way. Each listener and feed is registered with the
     * per-source health view. If one part cannot start, those already started are closed again.
     */
    static Running start(VigilRuntime runtime, ServeOptions options) throws Exception {
        ApiKeys keys = ApiKeys.load(runtime.workspace());
        VigilServer server = VigilServer.builder(runtime, keys)
                .bind(options.bind(), options.port())
                .tls(options.tls())
                .queryLimits(options.queryLimits())
                .httpLimits(options.httpLimits())
                .build();
        RetentionScheduler retention = null;
        DetectionService detection = null;
        SyslogListeners listeners = null;
        FeedOptions.Feeds running = null;
        Forwarders forwarders = null;
        try {
            // sinks are checked before anything listens: a bad one stops the start with its name
            forwarders = Forwarders.start(runtime);
            server.registerSinks(forwarders::health);
            retention = new RetentionScheduler(runtime.store(), run -> {
                runtime.integrity().ifPresent(integrity -> integrity.recordRetention(run));
                runtime.audit().recordRetention(run);
            });
            RuleLibrary library = new RuleLibrary(runtime.store().dataDir());
            detection = new DetectionService(
                    runtime.store(), runtime.clock(), options.queryLimits(), library::enabledRules);
            listeners = SyslogListeners.start(
                    options.syslog().listeners(options.bind()), runtime.pipeline(), runtime.metrics());
            running = options.feeds().start(runtime);
            for (SyslogListener listener : listeners.listeners()) {
                server.registerSource(
                        listener.transport().input(),
                        "",
                        "syslog on " + options.bind() + ":" + listener.port() + " ("
                                + listener.transport().description() + ")");
            }
            for (FeedOptions.Source source : running.sources()) {
                server.registerSource(source.input(), source.source(), source.description());
            }
            server.start();
            retention.start();
            detection.start();
            return new Running(keys, server, retention, detection, listeners, running, forwarders);
        } catch (Exception e) {
            new Running(keys, server, retention, detection, listeners, running, forwarders).close();
            throw e;
        }
    }

    /**
     * What {@link #start} started, closed in reverse order: feeds, listeners, detection, retention, HTTP
     * server, sinks.
     */
    record Running(
            ApiKeys keys,
            VigilServer server,
            RetentionScheduler retention,
            DetectionService detection,
            SyslogListeners listeners,
            FeedOptions.Feeds feeds,
            Forwarders forwarders)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (Forwarders closedAfterTheServer = forwarders;
                    VigilServer closedLast = server;
                    RetentionScheduler closedFourth = retention;
                    DetectionService closedThird = detection;
                    SyslogListeners closedSecond = listeners;
                    FeedOptions.Feeds closedFirst = feeds) {
                // try-with-resources closes them in reverse, skipping those never started (null)
            }
        }
    }
}
