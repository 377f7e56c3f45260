package com.cwgateway.publish;

import com.cwgateway.buffer.MetricBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a {@link FlushRun} every flush interval (unless {@link RetryBackoff} says to wait), and the last ones
 * at shutdown. Runs never overlap. At shutdown a run in progress is not abandoned: the {@link Deadline} caps
 * its calls, so it ends in time and hands back what CloudWatch has not confirmed.
 */
public final class Flusher {

    private static final Logger LOG = Logger.getLogger(Flusher.class.getName());

    /** Calls at once in the final flushes at shutdown; scheduled ones make one, leaving the cores to requests. */
    static final int PARALLEL_CALLS = 4;

    /** How long past the deadline a run in progress is waited for: a call may overrun its limit a little. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final MetricBuffer buffer;
    private final FlushSource source;
    private final MetricSink sink;
    private final DeliveryStats stats;
    private final Duration interval;
    private final Duration callTimeout;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final Deadline deadline = new Deadline();
    private final ReentrantLock running = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "flusher"));

    public Flusher(MetricBuffer buffer, FlushSource source, MetricSink sink, DeliveryStats stats, Duration interval,
                   Duration callTimeout, Clock clock) {
        this.buffer = buffer;
        this.source = source;
        this.sink = sink;
        this.stats = stats;
        this.interval = interval;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.backoff = new RetryBackoff(interval);
    }

    public void start() {
        long millis = interval.toMillis();
        scheduler.scheduleAtFixedRate(this::scheduledFlush, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void scheduledFlush() {
        try {
            if (backoff.ready(System.nanoTime())) {
                run(1);
            }
        } catch (RuntimeException | Error e) {
            // An escaped exception would cancel every later flush. The run has put back what it had not settled.
            LOG.log(Level.SEVERE, "flush failed unexpectedly; what it had not published is back in the buffer", e);
        }
    }

    /** Publishes everything buffered now, until a failure stops it; returns how many datums were published. */
    public int flush() {
        return run(1);
    }

    private int run(int parallelCalls) {
        running.lock();
        try {
            return runLocked(parallelCalls);
        } finally {
            running.unlock();
        }
    }

    private int runLocked(int parallelCalls) {
        long started = System.nanoTime();
        try {
            return new FlushRun(buffer, sink, stats, backoff, callTimeout, clock, deadline).publish(source, parallelCalls);
        } finally {
            stats.flushed(System.nanoTime() - started);
        }
    }

    /**
     * Stops the schedule and sets the deadline, waits for a run in progress (its calls end by the deadline),
     * then runs until the buffer is empty, a run publishes nothing, or the deadline passes.
     */
    public void close(long deadlineNanos) {
        deadline.set(deadlineNanos);
        scheduler.shutdown();
        try {
            while (running.tryLock(deadline.leftNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS)) {
                try {
                    if (stats.snapshot().buffered() == 0 || deadline.leftNanos() < FlushRun.MIN_CALL_NANOS
                            || runLocked(PARALLEL_CALLS) == 0) {
                        return;
                    }
                } finally {
                    running.unlock();
                }
            }
            LOG.severe("a flush did not end by the shutdown deadline; what it holds is counted as in flight");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
