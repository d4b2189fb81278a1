package io.vigil.app.http;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Logs failed authentications with the sender's address, so an operator sees a brute force in the log and
 * not only as a counter: the first failure of an address in a minute is logged at WARN, the ones after it
 * are counted and reported with the next line for that address. At most {@link #MAX_LINES_PER_MINUTE}
 * lines a minute are written over all addresses (a spray from many addresses cannot flood the log); what
 * was held back is reported with the next line. No credential is ever written. Each failure also counts
 * towards the address's lockout ({@link AuthLockouts}).
 */
public final class AuthFailureLog {
    // the logger name operators filter on (docs/security.md), kept when the class moved to app.http
    private static final Logger LOG = Logger.getLogger("io.vigil.app.AuthFailureLog");

    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final int MAX_LINES_PER_MINUTE = 30;
    /** Addresses remembered at once; the least recently failing one is forgotten first. */
    static final int MAX_ADDRESSES = 4096;

    private static final int MAX_REASON_CHARS = 200;

    private final Clock clock;
    private final AuthLockouts lockouts;
    private final Map<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };
    private Instant globalStart = Instant.MIN;
    private int globalLines;
    private long heldBackOverall;

    /** A log that locks no address out. */
    public AuthFailureLog(Clock clock) {
        this(
                clock,
                new AuthLockouts(new HttpLimits.AuthLockout(0, Duration.ofMinutes(1), Duration.ofMinutes(1)), clock));
    }

    /** A log that also counts each failure towards its address's lockout. */
    public AuthFailureLog(Clock clock, AuthLockouts lockouts) {
        this.clock = requireNonNull(clock, "clock is null");
        this.lockouts = requireNonNull(lockouts, "lockouts is null");
    }

    /**
     * Records a failed authentication.
     *
     * @param address the sender's IP address as the connection shows it
     * @param input the endpoint's low-cardinality name ("query", "data_collector", ...)
     * @param reason why it failed, as answered to the sender (never the presented credential)
     */
    public void failed(String address, String input, String reason) {
        if (lockouts.failed(address)) {
            // once per lockout, never held back: the operator must see that an address is being refused
            LOG.warning(
                    "address " + address + " locked out for " + lockouts.limit().lockout() + " after "
                            + lockouts.limit().maxFailures() + " failed authentications within "
                            + lockouts.limit().window());
        }
        String line = lineFor(address, input, reason);
        if (line != null) {
            LOG.warning(line);
        }
    }

    /** The line to log for this failure, or null when it is held back. */
    synchronized String lineFor(String address, String input, String reason) {
        Instant now = clock.instant();
        Window window = windows.get(address);
        if (window != null && now.isBefore(window.start.plus(INTERVAL))) {
            window.heldBack++;
            return null;
        }
        if (!now.isBefore(globalStart.plus(INTERVAL))) {
            globalStart = now;
            globalLines = 0;
        }
        if (globalLines >= MAX_LINES_PER_MINUTE) {
            heldBackOverall++;
            return null;
        }
        globalLines++;
        StringBuilder line = new StringBuilder("authentication failed from ")
                .append(address)
                .append(" on ")
                .append(input)
                .append(": ")
                .append(printable(reason));
        if (window != null && window.heldBack > 0) {
            line.append(" (")
                    .append(window.heldBack)
                    .append(" more failures from this address since ")
                    .append(window.start)
                    .append(')');
        }
        if (heldBackOverall > 0) {
            line.append(" (")
                    .append(heldBackOverall)
                    .append(" failures from other addresses not logged: more than ")
                    .append(MAX_LINES_PER_MINUTE)
                    .append(" lines a minute)");
            heldBackOverall = 0;
        }
        windows.put(address, new Window(now));
        return line.toString();
    }

    /** The reason can quote a sender's header: bounded and without control characters in the log. */
    private static String printable(String reason) {
        StringBuilder text = new StringBuilder(Math.min(reason.length(), MAX_REASON_CHARS));
        for (int i = 0; i < reason.length() && i < MAX_REASON_CHARS; i++) {
            char c = reason.charAt(i);
            if (Character.isISOControl(c)) {
                text.append('?');
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static final class Window {
        final Instant start;
        long heldBack;

        Window(Instant start) {
            this.start = start;
        }
    }
}
