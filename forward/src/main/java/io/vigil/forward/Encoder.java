package io.vigil.forward;

import io.vigil.spi.Row;

/** Turns one stored row into the text of one message (the syslog MSG part); never sees the transport. */
public interface Encoder {
    /** The message text; never holds a raw line break, so line-framed transports stay safe. */
    String encode(Row row);
}
