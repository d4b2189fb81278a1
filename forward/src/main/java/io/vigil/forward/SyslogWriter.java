package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/** A syslog sink: a text encoder after an RFC 5424 header, over UDP, TCP or TLS. */
final class SyslogWriter implements SinkWriter {
    private final SinkConfig config;
    private final Encoder encoder;
    private final Transport transport;
    private final Clock clock;

    SyslogWriter(SinkConfig config, Encoder encoder, Transport transport, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The writer of a syslog sink type: its encoder over the configured transport. */
    static SyslogWriter of(SinkConfig config, Encoder encoder, Clock clock, Optional<SSLContext> tls) {
        InetSocketAddress peer = InetSocketAddress.createUnresolved(config.host(), config.port());
        Transport transport = switch (config.transport()) {
            case UDP -> new UdpTransport(peer);
            case TCP -> new StreamTransport(peer, config.framing(), Optional.empty());
            case TLS -> new StreamTransport(peer, Framing.OCTET_COUNTING, Optional.of(tls.orElseGet(Tls::jvmDefault)));
        };
        return new SyslogWriter(config, encoder, transport, clock);
    }

    @Override
    public SinkItem encode(Row row, String id) {
        Instant time = Items.timeGenerated(row).orElseGet(clock::instant);
        String text = encoder.encode(row);
        byte[] message = config.syslog()
                .format(Severities.of(row), time, row.table().name(), text)
                .getBytes(StandardCharsets.UTF_8);
        return new SinkItem(id, row.table().name(), time, message);
    }

    @Override
    public int maxItemBytes() {
        return transport.maxMessageBytes();
    }

    @Override
    public int maxAttempts() {
        return 1;
    }

    @Override
    public List<ItemOutcome> send(List<SinkItem> items) throws IOException {
        transport.send(items.stream().map(SinkItem::body).toList());
        return Collections.nCopies(items.size(), ItemOutcome.ACCEPTED);
    }

    @Override
    public void close() {
        transport.close();
    }
}
