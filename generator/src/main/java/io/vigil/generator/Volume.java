package io.vigil.generator;

/** Background volume: a per-day figure scaled by the window length and the scale option. */
final class Volume {
    private Volume() {}

    static int of(GeneratorOptions options, int perDay) {
        return (int) Math.max(1, Math.round(perDay * options.scale() * options.hours() / 24.0));
    }
}
