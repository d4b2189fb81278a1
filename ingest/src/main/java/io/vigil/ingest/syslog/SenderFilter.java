package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which senders a syslog listener takes messages from, as address ranges in CIDR notation. Plain syslog
 * carries no credentials (RFC 5426, RFC 6587), so the sender's address is the only thing a UDP or TCP listener
 * can check; like rsyslog's {@code $AllowedSender}, a listener takes loopback senders only unless the admin
 * names the networks that may send, or {@code any} to accept every sender. A TLS listener that requires client
 * certificates authenticates its senders by those instead, and takes any address unless told otherwise.
 */
public record SenderFilter(List<Range> ranges) {
    /** An address literal and prefix: IPv4 dotted quads, or IPv6 with at least one colon. Never a host name. */
    private static final Pattern LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private static final List<Range> ANY_RANGES = List.of(range("0.0.0.0", 0), range("::", 0));

    /** Every IPv4 and IPv6 sender. */
    public static final SenderFilter ANY = new SenderFilter(ANY_RANGES);

    /** 127.0.0.0/8 and ::1: the machine itself. */
    public static final SenderFilter LOOPBACK = parse(List.of("127.0.0.0/8", "::1/128"));

    /** One network: its address and how many leading bits of a sender's address must match it. */
    public record Range(InetAddress network, int prefixBits) {
        public Range {
            requireNonNull(network, "network is null");
            if (prefixBits < 0 || prefixBits > network.getAddress().length * 8) {
                throw new IllegalArgumentException("prefix " + prefixBits + " for " + network.getHostAddress());
            }
        }

        boolean contains(byte[] address) {
            byte[] bytes = network.getAddress();
            if (address.length != bytes.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != bytes[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (bytes[full] & mask);
        }

        @Override
        public String toString() {
            return network.getHostAddress() + "/" + prefixBits;
        }
    }

    public SenderFilter {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw invalid("a sender filter needs at least one range");
        }
    }

    /**
     * Parses {@code any} or CIDR ranges such as {@code 10.0.0.0/8}, {@code 192.0.2.7} (one address) or
     * {@code 2001:db8::/32}; an IPv4-mapped IPv6 sender is matched as its IPv4 address.
     */
    public static SenderFilter parse(List<String> specs) {
        List<Range> ranges = new ArrayList<>();
        for (String spec : specs) {
            String trimmed = spec.strip();
            if (trimmed.toLowerCase(Locale.ROOT).equals("any")) {
                ranges.addAll(ANY_RANGES);
                continue;
            }
            int slash = trimmed.indexOf('/');
            String address = trimmed;
            if (slash >= 0) {
                address = trimmed.substring(0, slash);
            }
            if (!LITERAL.matcher(address).matches()) {
                throw invalid("'" + spec + "' is not an address range: give CIDR such as 10.0.0.0/8 or 2001:db8::/32,"
                        + " or 'any' (host names are not resolved)");
            }
            InetAddress network;
            try {
                // a literal, as checked above: no name is looked up
                network = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw invalid("'" + spec + "' is not an address range: " + e.getMessage());
            }
            int bits = network.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(trimmed.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw invalid("'" + spec + "' has no prefix length after '/'");
                }
                if (prefix < 0 || prefix > bits) {
                    throw invalid("'" + spec + "': the prefix must be 0.." + bits);
                }
            }
            ranges.add(new Range(network, prefix));
        }
        return new SenderFilter(ranges);
    }

    private static Range range(String literal, int prefixBits) {
        try {
            return new Range(InetAddress.getByName(literal), prefixBits);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean allows(InetAddress sender) {
        byte[] address = sender.getAddress();
        byte[] ipv4 = mappedIpv4(address);
        for (Range range : ranges) {
            if (range.contains(address) || (ipv4 != null && range.contains(ipv4))) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:a.b.c.d), else null. */
    private static byte[] mappedIpv4(byte[] address) {
        if (address.length != 16) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return null;
            }
        }
        if (address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
            return null;
        }
        return new byte[] {address[12], address[13], address[14], address[15]};
    }

    /** In words, for the line a listener prints when it starts. */
    public String describe() {
        if (ranges.containsAll(ANY_RANGES)) {
            return "any sender";
        }
        if (equals(LOOPBACK)) {
            return "loopback senders only";
        }
        List<String> names = new ArrayList<>();
        for (Range range : ranges) {
            names.add(range.toString());
        }
        return "senders in " + String.join(", ", names);
    }

    private static VigilException invalid(String message) {
        return new VigilException(StandardErrorCode.INVALID_CONFIGURATION, "syslog senders: " + message);
    }
}
