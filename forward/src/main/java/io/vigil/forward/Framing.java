package io.vigil.forward;

import java.nio.charset.StandardCharsets;

/** How messages are delimited on a stream transport (RFC 6587 section 3.4). */
public enum Framing {
    /** Each message ends with LF (non-transparent framing, 3.4.2); safe because no message holds one. */
    LF("lf"),
    /** Each message is preceded by its length in bytes and a space (octet counting, 3.4.1). */
    OCTET_COUNTING("octet_counting");

    private final String configName;

    Framing(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Framing fromConfigName(String name) {
        for (Framing framing : values()) {
            if (framing.configName.equals(name)) {
                return framing;
            }
        }
        throw new IllegalArgumentException("unknown framing '" + name + "' (lf or octet_counting)");
    }

    byte[] frame(byte[] message) {
        return switch (this) {
            case LF -> {
                byte[] framed = java.util.Arrays.copyOf(message, message.length + 1);
                framed[message.length] = '\n';
                yield framed;
            }
            case OCTET_COUNTING -> {
                byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
                byte[] framed = new byte[prefix.length + message.length];
                System.arraycopy(prefix, 0, framed, 0, prefix.length);
                System.arraycopy(message, 0, framed, prefix.length, message.length);
                yield framed;
            }
        };
    }
}
