package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.detect.rule.AnalyticRule;
import io.vigil.engine.KqlEngine;
import io.vigil.engine.QueryLimits;
import io.vigil.spi.CommitSubscription;
import io.vigil.spi.EventStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a server runs for detection: the scheduler's pass every {@link #TICK} (a window is due at most that
 * long after its aligned end) and the NRT subscriber on the commit stream, both over the enabled rules as
 * the library holds them at that moment (so enabling or importing a rule takes effect without a restart).
 */
public final class DetectionService implements AutoCloseable {
    public static final Duration TICK = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(DetectionService.class.getName());

    /** The enabled rules, read afresh on every pass. */
    @FunctionalInterface
    public interface RuleSource {
        List<AnalyticRule> enabledRules() throws IOException;
    }

    private final RuleScheduler scheduler;
    private final NrtRunner nrt;
    private final RuleSource rules;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vigil-detect").daemon().factory());
    private CommitSubscription subscription;

    public DetectionService(EventStore store, Clock clock, QueryLimits limits, RuleSource rules) {
        requireNonNull(store, "store is null");
        this.rules = requireNonNull(rules, "rules is null");
        KqlEngine engine = KqlEngine.builder(store).clock(clock).build();
        this.scheduler = new RuleScheduler(store, engine, clock, limits);
        this.nrt = new NrtRunner(store, clock, limits, new AlertSink(store, engine, limits), this::readRules);
    }

    public synchronized void start() {
        subscription = nrt.start();
        executor.scheduleWithFixedDelay(this::pass, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            scheduler.runDue(readRules());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "scheduled rule pass failed; the missed windows run on the next pass", e);
        }
    }

    private List<AnalyticRule> readRules() {
        try {
            return rules.enabledRules();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rule library", e);
        }
    }

    @Override
    public synchronized void close() {
        executor.shutdownNow();
        if (subscription != null) {
            subscription.close();
        }
    }
}
