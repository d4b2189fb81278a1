package io.vigil.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the Vigil server (HTTP APIs) on a workspace.")
final class ServerCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Override
    public Integer call() throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(data.dataDir)) {
            serve(runtime, bind, port);
        }
        return 0;
    }

    /** Starts the HTTP server, prints how to reach it, and runs until the process is stopped. */
    static void serve(VigilRuntime runtime, String bind, int port) throws Exception {
        ApiKeys keys = ApiKeys.load(runtime.workspace());
        try (VigilServer server = new VigilServer(bind, port, runtime.store(), keys, runtime.metrics());
                RetentionScheduler retention = new RetentionScheduler(runtime.store())) {
            server.start();
            retention.start();
            String url = "http://" + bind + ":" + server.port();
            System.out.println("vigil: listening on " + url + " (workspace "
                    + runtime.workspace().workspaceId() + ")");
            keys.createdAdminKey()
                    .ifPresentOrElse(
                            path -> System.out.println("vigil: created the admin API key in " + path
                                    + " (mode 0600); send it as 'Authorization: Bearer <key>'"),
                            () -> System.out.println("vigil: admin API key: "
                                    + runtime.workspace().secretsDir().resolve("admin.key")));
            System.out.println("vigil: try  curl " + url + "/health");
            System.out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
    }
}
