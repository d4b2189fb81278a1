package io.vigil.app;

import io.vigil.app.ui.UiAssets;
import io.vigil.engine.QueryLimits;
import io.vigil.ingest.syslog.SyslogListener;
import io.vigil.ingest.syslog.SyslogListeners;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
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
        Optional<SSLContext> tlsContext = server.tls.context();
        SyslogOptions syslogOptions = server.syslog.options();
        FeedOptions feedOptions = server.feeds.options();
        QueryLimits queryLimits = server.queries.limits();
        HttpLimits limits = server.httpLimits.limits();
        Optional<Path> geoIpDatabase = server.geoIp.database();
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir, geoIpDatabase)) {
            serve(runtime, server.bind, server.port, tlsContext, syslogOptions, feedOptions, queryLimits, limits);
        }
        return 0;
    }

    /** Starts what this command's flags describe on {@code runtime} and returns at once (tests use it). */
    Running start(VigilRuntime runtime) throws Exception {
        return start(
                runtime,
                server.bind,
                server.port,
                server.tls.context(),
                server.syslog.options(),
                server.feeds.options(),
                server.queries.limits(),
                server.httpLimits.limits());
    }

    /**
     * Starts the HTTP server (over HTTPS when {@code tls} is present, with {@code queryLimits} on every API
     * query and {@code httpLimits} on connections and ingestion requests), the syslog listeners and the
     * feeds, prints how to reach them, and runs until the process is stopped; then stops reading and waits
     * until what was read is committed.
     */
    static void serve(
            VigilRuntime runtime,
            String bind,
            int port,
            Optional<SSLContext> tls,
            SyslogOptions syslog,
            FeedOptions feeds,
            QueryLimits queryLimits,
            HttpLimits httpLimits)
            throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        try (Running running = start(runtime, bind, port, tls, syslog, feeds, queryLimits, httpLimits)) {
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
            if (tls.isPresent()) {
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
    static Running start(
            VigilRuntime runtime,
            String bind,
            int port,
            Optional<SSLContext> tls,
            SyslogOptions syslog,
            FeedOptions feeds)
            throws Exception {
        return start(runtime, bind, port, tls, syslog, feeds, QueryLimits.DEFAULT);
    }

    static Running start(
            VigilRuntime runtime,
            String bind,
            int port,
            Optional<SSLContext> tls,
            SyslogOptions syslog,
            FeedOptions feeds,
            QueryLimits queryLimits)
            throws Exception {
        return start(runtime, bind, port, tls, syslog, feeds, queryLimits, HttpLimits.DEFAULT);
    }

    static Running start(
            VigilRuntime runtime,
            String bind,
            int port,
            Optional<SSLContext> tls,
            SyslogOptions syslog,
            FeedOptions feeds,
            QueryLimits queryLimits,
            HttpLimits httpLimits)
            throws Exception {
        ApiKeys keys = ApiKeys.load(runtime.workspace());
        VigilServer server =
                new VigilServer(bind, port, runtime.store(), keys, runtime.metrics(), tls, queryLimits, httpLimits);
        RetentionScheduler retention = null;
        SyslogListeners listeners = null;
        FeedOptions.Feeds running = null;
        try {
            retention = new RetentionScheduler(runtime.store());
            listeners = SyslogListeners.start(syslog.listeners(bind), runtime.pipeline(), runtime.metrics());
            running = feeds.start(runtime);
            for (SyslogListener listener : listeners.listeners()) {
                server.registerSource(
                        listener.transport().input(),
                        "",
                        "syslog on " + bind + ":" + listener.port() + " ("
                                + listener.transport().description() + ")");
            }
            for (FeedOptions.Source source : running.sources()) {
                server.registerSource(source.input(), source.source(), source.description());
            }
            server.start();
            retention.start();
            return new Running(keys, server, retention, listeners, running);
        } catch (Exception e) {
            new Running(keys, server, retention, listeners, running).close();
            throw e;
        }
    }

    /** What {@link #start} started, closed in reverse order: feeds, listeners, retention, HTTP server. */
    record Running(
            ApiKeys keys,
            VigilServer server,
            RetentionScheduler retention,
            SyslogListeners listeners,
            FeedOptions.Feeds feeds)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            try (VigilServer closedLast = server;
                    RetentionScheduler closedThird = retention;
                    SyslogListeners closedSecond = listeners;
                    FeedOptions.Feeds closedFirst = feeds) {
                // try-with-resources closes them in reverse, skipping those never started (null)
            }
        }
    }
}
