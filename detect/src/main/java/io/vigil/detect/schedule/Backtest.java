package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.alert.Alert;
import io.vigil.detect.alert.AlertBuilder;
import io.vigil.detect.rule.AnalyticRule;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a rule over stored history window by window, as the scheduler would have run it (aligned window
 * ends from {@code from} to {@code to}, NRT rules as one-minute windows), and returns the alerts each window
 * would have raised; nothing is written. Deterministic: an alert's time is its window's end.
 */
public final class Backtest {
    /** At most this many windows per backtest, so a typo in a date cannot run for hours. */
    public static final int MAXIMUM_WINDOWS = 20_160;

    private Backtest() {}

    /** One window that would have alerted. */
    public record WindowAlerts(Instant windowEnd, List<Alert> alerts) {
        public WindowAlerts {
            requireNonNull(windowEnd, "windowEnd is null");
            alerts = List.copyOf(requireNonNull(alerts, "alerts is null"));
        }
    }

    public static List<WindowAlerts> run(
            KqlEngine engine, QueryLimits limits, AnalyticRule rule, Instant from, Instant to)
            throws InterruptedException {
        List<WindowAlerts> windows = new ArrayList<>();
        Instant end = RuleScheduler.alignedEnd(from, rule.queryFrequency());
        if (end.isBefore(from)) {
            end = end.plus(rule.queryFrequency());
        }
        int count = 0;
        while (!end.isAfter(to)) {
            if (++count > MAXIMUM_WINDOWS) {
                throw new IllegalArgumentException(
                        "more than " + MAXIMUM_WINDOWS + " windows between " + from + " and " + to);
            }
            List<Alert> alerts = AlertBuilder.build(
                    rule, RuleScheduler.run(engine, limits, rule, end), RuleScheduler.window(rule, end), end);
            if (!alerts.isEmpty()) {
                windows.add(new WindowAlerts(end, alerts));
            }
            end = end.plus(rule.queryFrequency());
        }
        return windows;
    }
}
