package io.vigil.ingest.syslog;

import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import io.vigil.spi.ParseContext;
import java.io.IOException;
import java.time.Clock;

/**
 * A running syslog listener: a transport (UDP, TCP, TLS) feeding framed messages to the formats and,
 * through the ingest pipeline's stream, the store. Closing stops accepting and reading, then writes what was already read.
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
    static SyslogListener start(SyslogListenerConfig config, IngestPipeline pipeline, Metrics metrics)
            throws IOException {
        Clock clock = pipeline.clock();
        ParseContext context =
                new ParseContext(pipeline.store().catalog(), clock, clock.getZone(), config.maxMessageBytes());
        return switch (config.transport()) {
            case UDP -> new SyslogUdpListener(config, context, pipeline, metrics);
            case TCP, TLS -> new SyslogStreamListener(config, context, pipeline, metrics);
        };
    }
}
