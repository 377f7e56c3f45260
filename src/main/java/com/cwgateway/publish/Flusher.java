package com.cwgateway.publish;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.Taken;
import com.cwgateway.ingest.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves the buffer to the sink every flush interval, in chunks that fit one PutMetricData request, and
 * makes sure each accepted point is either published or dropped for a reason the user can act on:
 * <ul>
 * <li>a transient failure (throttling, 5xx, timeout, network) or a credential failure (401/403) puts the
 *     chunk back into the buffer, stops this flush, and backs off before the next ({@link RetryBackoff});
 * <li>a chunk CloudWatch rejects (another 4xx) is split in halves until the datums it rejects are alone;
 *     those are dropped and logged, the rest is delivered;
 * <li>points older than CloudWatch accepts are dropped before publishing.
 * </ul>
 * Flushes never overlap (one scheduler thread, and a lock for the final flush at shutdown); the final flush
 * publishes {@link #PARALLEL_CALLS} chunks at once, on platform threads.
 */
public final class Flusher {

    private static final Logger LOG = Logger.getLogger(Flusher.class.getName());

    /**
     * Calls in flight at once in the final flush at shutdown, when the server no longer takes requests and
     * time is short: one after another, 1000 chunks (a million points without aggregation) took 7.7 s, four
     * at once 4.5 s, still far below CloudWatch's PutMetricData rate quota. Scheduled flushes publish one
     * chunk at a time: four at once took /healthcheck p99 from 5 to 16 ms during a flush of a million
     * points, and a flush in the background has time.
     */
    static final int PARALLEL_CALLS = 4;

    /** Margin for clock skew and transit: a point this close to CloudWatch's age limit would be refused. */
    private static final Duration AGE_MARGIN = Duration.ofMinutes(1);

    private final MetricBuffer buffer;
    private final MetricSink sink;
    private final DeliveryStats stats;
    private final Duration callTimeout;
    private final Duration interval;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final ReentrantLock flushing = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "flusher");
        thread.setDaemon(true);
        return thread;
    });
    /**
     * For the final flush. Platform threads, not virtual ones: encoding requests would hold the carriers that
     * serve HTTP (a flush of a million points took /healthcheck p99 from 2 to 400 ms that way).
     */
    private final ExecutorService publishers = Executors.newFixedThreadPool(PARALLEL_CALLS, runnable -> {
        Thread thread = new Thread(runnable, "publisher");
        thread.setDaemon(true);
        return thread;
    });

    public Flusher(MetricBuffer buffer, MetricSink sink, DeliveryStats stats, Duration interval, Duration callTimeout,
                   Clock clock) {
        this.buffer = buffer;
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
                flush(Long.MAX_VALUE);
            }
        } catch (RuntimeException | Error e) {
            // An escaped exception would cancel every later flush; log it and keep the schedule.
            LOG.log(Level.SEVERE, "flush failed unexpectedly; buffered data is kept for the next flush", e);
        }
    }

    /**
     * Publishes everything buffered now, until a transient or credential failure or {@code deadlineNanos}
     * ({@link System#nanoTime()}); what is not published or dropped goes back into the buffer.
     *
     * @return how many datums were published
     */
    public int flush(long deadlineNanos) {
        return flush(deadlineNanos, false);
    }

    private int flush(long deadlineNanos, boolean parallel) {
        flushing.lock();
        long started = System.nanoTime();
        try {
            return new Run(deadlineNanos, parallel).publishAll(buffer.drain());
        } finally {
            stats.flushed(System.nanoTime() - started);
            flushing.unlock();
        }
    }

    /**
     * Stops the schedule, waits for a flush in progress, then flushes until the buffer is empty, a flush
     * makes no progress, or {@code deadlineNanos} passes.
     *
     * @return how many points (samples) are left undelivered in the buffer
     */
    public double close(long deadlineNanos) {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (buffer.bytes() > 0 && System.nanoTime() < deadlineNanos) {
            if (flush(deadlineNanos, true) == 0) {
                break;
            }
        }
        publishers.shutdown();
        return buffer.bytes() == 0 ? 0 : buffer.samples();
    }

    /** One flush: what it published, kept and dropped, and whether it has stopped. */
    private final class Run {

        private final long deadlineNanos;
        // Chunks publish PARALLEL_CALLS at a time: the tallies are shared by their threads.
        private final AtomicInteger publishedDatums = new AtomicInteger();
        private final DoubleAdder publishedSamples = new DoubleAdder();
        private final DoubleAdder keptSamples = new DoubleAdder();
        private final DoubleAdder droppedSamples = new DoubleAdder();
        private final AtomicReference<PublishException> stoppedBy = new AtomicReference<>();

        private final boolean parallel;

        Run(long deadlineNanos, boolean parallel) {
            this.deadlineNanos = deadlineNanos;
            this.parallel = parallel;
        }

        /**
         * Publishes the drained table part by part (PARALLEL_CALLS parts at once in the final flush), each
         * settled once its chunks are published, dropped or kept; stops at a failure or the deadline and puts
         * back what it has not taken.
         */
        int publishAll(Drained drained) {
            long oldest = clock.millis() - CloudWatchRules.CLOUDWATCH_MAX_AGE.toMillis() + AGE_MARGIN.toMillis();
            List<Taken> parts = new ArrayList<>();
            try {
                while (stoppedBy.get() == null && System.nanoTime() < deadlineNanos) {
                    for (Taken part; parts.size() < (parallel ? PARALLEL_CALLS : 1)
                            && (part = drained.next(CloudWatchRules.MAX_DATUMS_PER_REQUEST)) != null; ) {
                        parts.add(part);
                    }
                    if (parts.isEmpty()) {
                        break;
                    }
                    publish(parts, oldest);
                    parts.forEach(drained::settled);
                    parts.clear();
                }
            } finally {
                parts.forEach(drained::settled);
                drained.putBack();
            }
            report();
            return publishedDatums.get();
        }

        private void publish(List<Taken> parts, long oldest) {
            List<Runnable> calls = new ArrayList<>();
            for (Taken part : parts) {
                String namespace = part.namespace();
                List<Datum> datums = dropTooOld(namespace, part.datums(), oldest);
                for (List<Datum> chunk : Chunker.chunks(namespace, datums)) {
                    calls.add(() -> publishIsolating(namespace, chunk));
                }
            }
            if (parallel) {
                try {
                    publishers.invokeAll(calls.stream().map(Executors::callable).toList());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                calls.forEach(Runnable::run);
            }
        }

        private List<Datum> dropTooOld(String namespace, List<Datum> datums, long oldestMillis) {
            List<Datum> fresh = new ArrayList<>(datums.size());
            double tooOld = 0;
            for (Datum datum : datums) {
                if (datum.timestampMillis() < oldestMillis) {
                    tooOld += datum.samples();
                } else {
                    fresh.add(datum);
                }
            }
            if (tooOld > 0) {
                stats.dropped(DeliveryStats.DropReason.TOO_OLD, tooOld);
                droppedSamples.add(tooOld);
                LOG.warning("dropped " + DeliveryStats.format(tooOld) + " points of namespace " + namespace + ": "
                        + DeliveryStats.DropReason.TOO_OLD.meaning() + " by the time they could be published");
            }
            return fresh;
        }

        /** Publishes a chunk; when CloudWatch rejects its data, halves it until the rejected datums are alone. */
        private void publishIsolating(String namespace, List<Datum> chunk) {
            long left = deadlineNanos - System.nanoTime();
            if (stoppedBy.get() != null || left <= 0) {
                keep(namespace, chunk);
                return;
            }
            try {
                sink.publish(namespace, chunk, left < callTimeout.toNanos() ? Duration.ofNanos(left) : callTimeout);
                stats.call("ok");
                publishedDatums.addAndGet(chunk.size());
                double samples = Datum.samples(chunk);
                publishedSamples.add(samples);
                stats.published(samples);
                if (stoppedBy.get() == null) {
                    backoff.succeeded(); // a call that was in flight when another failed does not undo the backoff
                }
            } catch (PublishException e) {
                stats.call(e.errorCode());
                switch (e.kind()) {
                    case TRANSIENT, CREDENTIALS -> stop(namespace, chunk, e);
                    case REJECTED -> isolate(namespace, chunk, e);
                }
            } catch (RuntimeException e) {
                stats.call("Unexpected");
                LOG.log(Level.WARNING, "PutMetricData failed unexpectedly", e);
                stop(namespace, chunk, new PublishException("Unexpected", PublishException.Kind.TRANSIENT,
                        String.valueOf(e), e));
            }
        }

        private void isolate(String namespace, List<Datum> chunk, PublishException rejection) {
            if (chunk.size() == 1) {
                Datum datum = chunk.getFirst();
                double samples = datum.samples();
                stats.dropped(DeliveryStats.DropReason.REJECTED, samples);
                droppedSamples.add(samples);
                LOG.warning("dropped a datum CloudWatch rejects: " + rejection.errorCode() + ": "
                        + rejection.getMessage() + " (namespace " + namespace + ", metric " + datum.metricName()
                        + ", dimensions " + describe(datum.dimensions()) + ", " + DeliveryStats.format(samples) + " points)");
                return;
            }
            int half = chunk.size() / 2;
            publishIsolating(namespace, chunk.subList(0, half));
            publishIsolating(namespace, chunk.subList(half, chunk.size()));
        }

        private void stop(String namespace, List<Datum> chunk, PublishException cause) {
            if (stoppedBy.compareAndSet(null, cause)) {
                backoff.failed(System.nanoTime());
            }
            keep(namespace, chunk);
        }

        private void keep(String namespace, List<Datum> chunk) {
            buffer.requeue(namespace, chunk);
            double samples = Datum.samples(chunk);
            keptSamples.add(samples);
            stats.retried(samples);
        }

        /** One line per flush: INFO when anything failed, FINE otherwise. */
        private void report() {
            PublishException stopped = stoppedBy.get();
            double dropped = droppedSamples.sum();
            double kept = keptSamples.sum();
            if (stopped == null && dropped == 0 && kept == 0) {
                if (LOG.isLoggable(Level.FINE) && publishedDatums.get() > 0) {
                    LOG.fine("flush: published " + DeliveryStats.format(publishedSamples.sum()) + " points in "
                            + publishedDatums.get() + " datums; " + stats.summary());
                }
                return;
            }
            String failure = stopped == null ? "" : "PutMetricData failed: " + stopped.errorCode() + ": "
                    + stopped.getMessage() + "; ";
            String line = failure + "flush: published " + DeliveryStats.format(publishedSamples.sum()) + " points, kept "
                    + DeliveryStats.format(kept) + " for a later flush, dropped "
                    + DeliveryStats.format(dropped) + "; totals " + stats.summary();
            if (stopped != null && stopped.kind() == PublishException.Kind.CREDENTIALS) {
                LOG.severe(line + ". CloudWatch refuses the credentials: check the IAM policy (cloudwatch:PutMetricData)"
                        + " and the credential source; data stays buffered and is retried until shutdown");
            } else if (stopped != null) {
                LOG.warning(line);
            } else {
                LOG.info(line);
            }
        }
    }

    private static String describe(List<Dimension> dimensions) {
        StringBuilder text = new StringBuilder("{");
        for (Dimension dimension : dimensions) {
            text.append(text.length() > 1 ? ", " : "").append(dimension.name()).append('=').append(dimension.value());
        }
        return text.append('}').toString();
    }
}
