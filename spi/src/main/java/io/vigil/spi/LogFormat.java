package io.vigil.spi;

import java.util.List;

/**
 * A native log format: turns raw input into rows of Azure Monitor tables. Implementations never throw
 * on malformed input; what they cannot parse goes to {@link RecordSink#deadLetter} with the raw bytes.
 */
public interface LogFormat {
    /** Stable snake_case name, used by {@code --format}, metrics and docs. */
    String name();

    /** One line for the CLI and docs. */
    String description();

    /** The tables this format writes. */
    List<String> outputTables();

    /**
     * How sure this format is that {@code head} (the first bytes of an input, possibly cut anywhere) is
     * in this format: 0 = not at all, 100 = certain. Used to pick a format when none was forced.
     */
    int detect(byte[] head);

    /** Parses a whole input (one file, one request body, one message), emitting into {@code sink}. */
    void parse(String source, byte[] input, ParseContext context, RecordSink sink);
}
