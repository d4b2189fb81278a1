package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

/** What a stream framer makes of the bytes of one frame. */
sealed interface SyslogFrame {
    /** A complete message, without its length prefix or trailer. */
    record Message(byte[] bytes) implements SyslogFrame {
        public Message {
            requireNonNull(bytes, "bytes is null");
        }
    }

    /**
     * A message longer than the limit: its first bytes (up to the limit) are kept for the dead letter,
     * the rest was read and discarded so that the stream stays in step.
     *
     * @param length the message's full length as far as it is known
     */
    record Oversize(byte[] prefix, long length) implements SyslogFrame {
        public Oversize {
            requireNonNull(prefix, "prefix is null");
        }
    }

    /** An octet-counted frame cut short by the end of the stream. */
    record Truncated(byte[] bytes, long declaredLength) implements SyslogFrame {
        public Truncated {
            requireNonNull(bytes, "bytes is null");
        }
    }
}
