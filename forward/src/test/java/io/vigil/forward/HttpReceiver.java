package io.vigil.forward;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A loopback HTTP(S) receiver for the HTTP sinks' tests, on the JDK's own server: each request goes to a
 * strict protocol handler (HEC, webhook, bulk) that checks it and answers as the real receiver would. It
 * can be made to fail (a status for the next requests), to stall (hold requests without answering), to
 * stop and to start again on the same port.
 */
final class HttpReceiver implements AutoCloseable {
    /** One request as received. */
    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .flatMap(entry -> entry.getValue().stream())
                    .findFirst();
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The answer to a request. */
    record Reply(int status, String body) {}

    /** A protocol's checks and answers. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request) throws Exception;
    }

    private static final Duration LONGEST_STALL = Duration.ofSeconds(60);

    private final Handler handler;
    private final Optional<SSLContext> tls;
    private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile Reply failure = new Reply(503, "");
    private volatile CountDownLatch stall = new CountDownLatch(0);
    private final AtomicInteger stalled = new AtomicInteger();
    private HttpServer server;
    private ExecutorService executor;

    HttpReceiver(Handler handler) {
        this(handler, Optional.empty());
    }

    HttpReceiver(Handler handler, Optional<SSLContext> tls) {
        this.handler = handler;
        this.tls = tls;
    }

    /** Listens on {@code port} (0 picks one) and returns the port. */
    synchronized int start(int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (tls.isPresent()) {
            HttpsServer https = HttpsServer.create(address, 50);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
            server = https;
        } else {
            server = HttpServer.create(address, 50);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
        server.start();
        return server.getAddress().getPort();
    }

    /** Stops listening; open connections are closed, as when a receiver dies. */
    synchronized void stop() {
        if (server != null) {
            stall.countDown();
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** The next {@code count} requests get {@code reply} instead of the handler's answer. */
    void failNext(int count, Reply reply) {
        failure = reply;
        failuresLeft.set(count);
    }

    /** Requests are held without an answer until {@link #release()}. */
    void stall() {
        stall = new CountDownLatch(1);
    }

    void release() {
        stall.countDown();
    }

    /** How many requests were held by a stall. */
    int stalledRequests() {
        return stalled.get();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void exchange(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Request request = new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body);
            requests.add(request);
            CountDownLatch held = stall;
            if (held.getCount() > 0) {
                stalled.incrementAndGet();
                held.await(LONGEST_STALL.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (failuresLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                reply = failure;
            } else {
                reply = handler.handle(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = new Reply(503, "");
        } catch (Exception | AssertionError e) {
            // a failed check: kept for the test to assert on, and answered 500 so nothing counts as received
            violations.add(String.valueOf(e));
            reply = new Reply(500, String.valueOf(e.getMessage()));
        }
        try (exchange) {
            byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    /** The checks requests failed; a test asserts this is empty. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void close() {
        stop();
    }
}
