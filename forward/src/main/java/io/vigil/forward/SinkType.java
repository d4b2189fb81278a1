package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

/**
 * One entry of the sink registry: a stable snake_case name, a one-line description the CLI and docs
 * reuse, and how to build the encoder from a sink's configuration.
 */
public record SinkType(String name, String description, Function<SinkConfig, Encoder> encoder) {
    public SinkType {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(encoder, "encoder is null");
    }
}
