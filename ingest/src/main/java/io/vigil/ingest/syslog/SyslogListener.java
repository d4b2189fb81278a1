package io.vigil.ingest.syslog;

import io.vigil.spi.EventStore;
import io.vigil.spi.Metrics;
import io.vigil.spi.ParseContext;
import java.io.IOException;
import java.time.Clock;

/**
 * A running syslog listener: a transport (UDP, TCP, TLS) feeding framed messages to the formats and
 * the store. Closing stops accepting and reading, then writes what was already read.
 */
public sealed interface SyslogListener extends AutoCloseable permits SyslogUdpListener, SyslogStreamListener {
    SyslogTransport transport();

    /** The port it is bound to (the chosen one when configured with 0). */
    int port();

    /** Whose messages it takes. */
    SenderFilter senders();

    @Override
    void close() throws InterruptedException;

    /** Validates the configuration, binds and starts the listener. */
    static SyslogListener start(SyslogListenerConfig config, EventStore store, Clock clock, Metrics metrics)
            throws IOException {
        metrics.describe("events_received_total", "Records received, per input and format");
        metrics.describe("events_failed_total", "Records dead-lettered, per input, format and reason");
        metrics.describe("bytes_received_total", "Bytes received, per input");
        ParseContext context = new ParseContext(store.catalog(), clock, clock.getZone(), config.maxMessageBytes());
        return switch (config.transport()) {
            case UDP -> new SyslogUdpListener(config, context, store, metrics);
            case TCP, TLS -> new SyslogStreamListener(config, context, store, metrics);
        };
    }
}
