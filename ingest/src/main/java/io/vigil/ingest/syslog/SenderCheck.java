package io.vigil.ingest.syslog;

import io.vigil.metrics.Metrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * A listener's check of its {@link SenderFilter}: refusals are counted as
 * {@code requests_rejected_total{input,reason="sender_not_allowed"}} (shown in the source health view) and logged
 * once a minute at most, naming the sender and the flag that admits it, so a device pointed at Vigil but left
 * out of its allowed networks is found quickly without a log line per datagram.
 */
final class SenderCheck {
    private static final Logger LOG = Logger.getLogger(SenderCheck.class.getName());
    private static final long LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final String input;
    private final SenderFilter filter;
    private final LongAdder refused;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    SenderCheck(String input, SenderFilter filter, Metrics metrics) {
        this.input = input;
        this.filter = filter;
        metrics.describe(
                "requests_rejected_total",
                "Requests refused as a whole before any record was stored, per input and reason");
        this.refused = metrics.counter("requests_rejected_total", "input", input, "reason", "sender_not_allowed");
    }

    boolean allows(InetAddress sender) {
        if (filter.allows(sender)) {
            return true;
        }
        refused.increment();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLog.compareAndSet(last, now)) {
            LOG.warning(input + ": refused " + sender.getHostAddress() + ", which is not among the allowed senders ("
                    + filter.describe() + "; vigil server --" + input.replace('_', '-') + "-allow CIDR admits more): "
                    + refused.sum() + " refused so far");
        }
        return false;
    }
}
