package io.vigil.ingest.syslog;

import io.vigil.ingest.IngestInput;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.IngestStream;
import io.vigil.metrics.Metrics;
import io.vigil.spi.ParseContext;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Syslog over TCP (RFC 6587) or TLS (RFC 5425): one virtual thread per connection reads frames with
 * {@link SyslogStreamFramer} and blocks in the ingest stream while the store is behind, so the connection is
 * not read (and TCP flow control slows the sender) instead of buffering without bound. Syslog has no
 * application acknowledgement, so the sender's only guarantee is TCP's; what was read is written on
 * close.
 */
final class SyslogStreamListener implements SyslogListener {
    private static final Logger LOG = Logger.getLogger(SyslogStreamListener.class.getName());
    private static final int BACKLOG = 128;
    private static final long REFUSAL_LOG_INTERVAL_NANOS =
            Duration.ofSeconds(10).toNanos();
    private static final Duration CONNECTION_STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final long DRAIN_STALL_NANOS = Duration.ofMillis(200).toNanos();

    private final SyslogListenerConfig config;
    private final String input;
    private final ServerSocket server;
    private final IngestStream stream;
    private final ParseContext context;
    private final Metrics metrics;
    private final LongAdder bytesReceived;
    private final LongAdder connectionsActive;
    private final LongAdder connectionsTotal;
    private final LongAdder connectionsRefused;
    private final SenderCheck senders;
    private final Map<Socket, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private final Thread acceptor;
    private volatile boolean closing;

    SyslogStreamListener(SyslogListenerConfig config, ParseContext context, IngestPipeline pipeline, Metrics metrics)
            throws IOException {
        this.config = config;
        this.context = context;
        this.metrics = metrics;
        this.input = config.transport().input();
        this.server = bind(config);
        this.bytesReceived = pipeline.bytesReceived(IngestInput.of(input));
        metrics.describe("syslog_connections_active", "Open syslog connections, per input (goes down too)");
        metrics.describe("syslog_connections_total", "Syslog connections accepted, per input");
        metrics.describe("syslog_connections_refused_total", "Syslog connections refused over the limit");
        this.connectionsActive = metrics.counter("syslog_connections_active", "input", input);
        this.connectionsTotal = metrics.counter("syslog_connections_total", "input", input);
        this.connectionsRefused = metrics.counter("syslog_connections_refused_total", "input", input);
        this.senders = new SenderCheck(input, config.senders(), metrics);
        this.stream = pipeline.openStream(IngestInput.of(input), config.maxBatchMessages(), config.batchLinger());
        this.acceptor = Thread.ofPlatform()
                .name("vigil-" + input + "-accept")
                .daemon(true)
                .start(this::accept);
    }

    private static ServerSocket bind(SyslogListenerConfig config) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port());
        ServerSocket socket;
        if (config.tls().isPresent()) {
            // built before binding, so that a bad keystore fails at start and not at the first client
            SyslogTlsConfig settings = config.tls().get();
            SSLServerSocket tls = (SSLServerSocket)
                    settings.serverContext().getServerSocketFactory().createServerSocket();
            // with a client CA, a client without a certificate of that CA fails the handshake (RFC 5425 §5.2)
            tls.setNeedClientAuth(settings.requiresClientCertificates());
            socket = tls;
        } else {
            socket = new ServerSocket();
        }
        try {
            socket.setReuseAddress(true);
            socket.bind(address, BACKLOG);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    @Override
    public SenderFilter senders() {
        return config.senders();
    }

    @Override
    public SyslogTransport transport() {
        return config.transport();
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.SEVERE, input + ": accept failed, listener stopped", e);
                }
                return;
            }
            if (!senders.allows(socket.getInetAddress())) {
                // before any byte is read, and before a TLS handshake: nothing of a stranger's is parsed
                closeQuietly(socket);
                continue;
            }
            if (connections.size() >= config.maxConnections()) {
                refuse(socket);
                continue;
            }
            connectionsTotal.increment();
            connectionsActive.increment();
            Connection connection = new Connection(socket);
            connection.thread =
                    Thread.ofVirtual().name("vigil-" + input + "-connection").unstarted(() -> serve(connection));
            connections.put(socket, connection);
            connection.thread.start();
        }
    }

    private void refuse(Socket socket) {
        connectionsRefused.increment();
        closeQuietly(socket);
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        // one line per interval, not one per refused connection
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            LOG.warning(input + ": refused a connection from "
                    + socket.getInetAddress().getHostAddress()
                    + ": already " + config.maxConnections() + " open (" + connectionsRefused.sum()
                    + " refused so far)");
        }
    }

    private void serve(Connection connection) {
        Socket socket = connection.socket;
        String peer = socket.getInetAddress().getHostAddress();
        SyslogMessageHandler handler = new SyslogMessageHandler(context, stream);
        long counted = 0;
        SyslogStreamFramer framer = null;
        try {
            setTimeout(socket, config.idleTimeout());
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            framer = new SyslogStreamFramer(socket.getInputStream(), config.maxMessageBytes());
            while (true) {
                SyslogFrame frame = framer.next();
                long read = framer.bytesRead();
                bytesReceived.add(read - counted);
                counted = read;
                if (frame == null) {
                    return;
                }
                connection.lastFrameNanos = System.nanoTime();
                switch (frame) {
                    case SyslogFrame.Message message -> handler.message(message.bytes(), peer);
                    case SyslogFrame.Oversize oversize -> handler.oversize(oversize.prefix(), oversize.length(), peer);
                    case SyslogFrame.Truncated truncated ->
                        handler.truncated(truncated.bytes(), truncated.declaredLength(), peer);
                }
            }
        } catch (SocketTimeoutException e) {
            // idle past the limit (a clean close: the sender reconnects when it has something to say), or
            // drained on shutdown
            if (!closing) {
                countClosed("idle");
            }
        } catch (SSLException e) {
            countClosed("tls_error");
        } catch (IOException e) {
            // a reset by the peer, or our own close on shutdown
            if (!closing) {
                countClosed("io_error");
            }
        } catch (VigilException e) {
            // the store refused or the listener closed while this connection waited: the message in hand is lost
            LOG.log(Level.SEVERE, input + ": connection from " + peer + " stopped, a message read was not stored", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (framer != null) {
                bytesReceived.add(framer.bytesRead() - counted);
            }
            closeQuietly(socket);
            connections.remove(socket);
            connectionsActive.decrement();
        }
    }

    private void countClosed(String reason) {
        metrics.counter("syslog_connections_closed_total", "input", input, "reason", reason)
                .increment();
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        closeQuietly(server);
        acceptor.join(CONNECTION_STOP_TIMEOUT);
        // what senders already sent waits in the kernel's buffers: keep reading (bounded by DRAIN_TIMEOUT)
        // and close each connection once it yields no frame for a moment, idle or held by the store
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
            long now = System.nanoTime();
            connections.values().forEach(connection -> {
                if (now - connection.lastFrameNanos > DRAIN_STALL_NANOS) {
                    closeQuietly(connection.socket);
                }
            });
            Thread.sleep(20);
        }
        List<Thread> threads = new ArrayList<>();
        connections.values().forEach(connection -> {
            closeQuietly(connection.socket);
            threads.add(connection.thread);
        });
        // frames read before the close are already in the ingest stream
        joinAll(threads, CONNECTION_STOP_TIMEOUT);
        stream.close();
    }

    private static void joinAll(List<Thread> threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    private static void setTimeout(Socket socket, Duration timeout) {
        try {
            socket.setSoTimeout(Math.toIntExact(Math.min(Integer.MAX_VALUE, timeout.toMillis())));
        } catch (IOException e) {
            // already closed: nothing left to drain
        }
    }

    /** One accepted connection and the virtual thread that reads it. */
    private static final class Connection {
        private final Socket socket;
        private volatile Thread thread;
        private volatile long lastFrameNanos = System.nanoTime();

        Connection(Socket socket) {
            this.socket = socket;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // nothing to do: the socket is gone either way
        }
    }
}
