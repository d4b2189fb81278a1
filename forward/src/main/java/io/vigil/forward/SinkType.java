package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * One entry of the sink registry: a stable snake_case name, a one-line description the CLI and docs
 * reuse, what its endpoint is, whether it needs a secret, and how to build its writer (encoder ×
 * transport) from a sink's configuration.
 */
public record SinkType(String name, String description, Endpoint endpoint, Secret secret, WriterFactory writer) {
    public SinkType {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(secret, "secret is null");
        requireNonNull(writer, "writer is null");
    }

    /** A syslog sink type: a text encoder after an RFC 5424 header, over udp, tcp or tls. */
    static SinkType syslog(String name, String description, Function<SinkConfig, Encoder> encoder) {
        return new SinkType(
                name,
                description,
                Endpoint.HOST_PORT,
                Secret.NONE,
                (config, clock, tls) -> SyslogWriter.of(config, encoder.apply(config), clock, tls));
    }

    /** How a sink's {@code --endpoint} is written. */
    public enum Endpoint {
        /** {@code HOST:PORT} ({@code [v6]:PORT}), with a separate transport. */
        HOST_PORT,
        /** An http:// or https:// URL. */
        URL
    }

    /** Whether a sink of the type needs {@code --secret-file}. */
    public enum Secret {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    /** Builds a sink's writer; throws {@link IllegalArgumentException} for a setting it cannot use. */
    @FunctionalInterface
    interface WriterFactory {
        SinkWriter build(SinkConfig config, Clock clock, Optional<SSLContext> tls);
    }
}
