package io.vigil.spi;

import static java.util.Objects.requireNonNull;

/**
 * An input that could not become rows, kept with its raw bytes so nothing that was received is lost.
 *
 * @param source where it came from (file path, listener, endpoint)
 * @param format the format that rejected it, or "" when none was chosen
 * @param reason the bounded reason code
 * @param detail a human-readable explanation (position, field, parser message)
 * @param raw the input bytes exactly as received
 */
public record DeadLetter(String source, String format, DeadLetterReason reason, String detail, byte[] raw) {
    public DeadLetter {
        requireNonNull(source, "source is null");
        requireNonNull(format, "format is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(raw, "raw is null");
    }
}
