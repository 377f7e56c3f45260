package com.cwgateway.publish;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.ingest.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * Flushes never overlap (one scheduler thread, and a lock for the final flush at shutdown).
 */
public final class Flusher {

    private static final Logger LOG = Logger.getLogger(Flusher.class.getName());

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
        flushing.lock();
        long started = System.nanoTime();
        try {
            return new Run(deadlineNanos).publishAll(buffer.drain());
        } finally {
            stats.flushed(System.nanoTime() - started);
            flushing.unlock();
        }
    }

    /**
     * Stops the schedule, waits for a flush in progress, then flushes until the buffer is empty, a flush
     * makes no progress, or {@code deadlineNanos} passes.
     *
     * @return how many points are left undelivered in the buffer
     */
    public long close(long deadlineNanos) {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (buffer.points() > 0 && System.nanoTime() < deadlineNanos) {
            if (flush(deadlineNanos) == 0) {
                break;
            }
        }
        return buffer.points();
    }

    /** One flush: what it published, kept and dropped, and whether it has stopped. */
    private final class Run {

        private final long deadlineNanos;
        private int publishedDatums;
        private double publishedSamples;
        private double keptSamples;
        private double droppedSamples;
        private PublishException stoppedBy;

        Run(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        int publishAll(Map<String, List<Datum>> drained) {
            long oldest = clock.millis() - CloudWatchRules.CLOUDWATCH_MAX_AGE.toMillis() + AGE_MARGIN.toMillis();
            for (Map.Entry<String, List<Datum>> entry : drained.entrySet()) {
                String namespace = entry.getKey();
                List<Datum> datums = dropTooOld(namespace, entry.getValue(), oldest);
                for (List<Datum> chunk : Chunker.chunks(namespace, datums)) {
                    publishIsolating(namespace, chunk);
                }
            }
            report();
            return publishedDatums;
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
                droppedSamples += tooOld;
                LOG.warning("dropped " + DeliveryStats.format(tooOld) + " points of namespace " + namespace + ": "
                        + DeliveryStats.DropReason.TOO_OLD.meaning() + " by the time they could be published");
            }
            return fresh;
        }

        /** Publishes a chunk; when CloudWatch rejects its data, halves it until the rejected datums are alone. */
        private void publishIsolating(String namespace, List<Datum> chunk) {
            long left = deadlineNanos - System.nanoTime();
            if (stoppedBy != null || left <= 0) {
                keep(namespace, chunk);
                return;
            }
            try {
                sink.publish(namespace, chunk, left < callTimeout.toNanos() ? Duration.ofNanos(left) : callTimeout);
                stats.call("ok");
                publishedDatums += chunk.size();
                double samples = Datum.samples(chunk);
                publishedSamples += samples;
                stats.published(samples);
                backoff.succeeded();
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
                droppedSamples += samples;
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
            stoppedBy = cause;
            backoff.failed(System.nanoTime());
            keep(namespace, chunk);
        }

        private void keep(String namespace, List<Datum> chunk) {
            buffer.requeue(namespace, chunk);
            double samples = Datum.samples(chunk);
            keptSamples += samples;
            stats.retried(samples);
        }

        /** One line per flush: INFO when anything failed, FINE otherwise. */
        private void report() {
            if (stoppedBy == null && droppedSamples == 0 && keptSamples == 0) {
                if (LOG.isLoggable(Level.FINE) && publishedDatums > 0) {
                    LOG.fine("flush: published " + DeliveryStats.format(publishedSamples) + " points in " + publishedDatums + " datums; "
                            + stats.summary());
                }
                return;
            }
            String failure = stoppedBy == null ? "" : "PutMetricData failed: " + stoppedBy.errorCode() + ": "
                    + stoppedBy.getMessage() + "; ";
            String line = failure + "flush: published " + DeliveryStats.format(publishedSamples) + " points, kept "
                    + DeliveryStats.format(keptSamples) + " for a later flush, dropped "
                    + DeliveryStats.format(droppedSamples) + "; totals " + stats.summary();
            if (stoppedBy != null && stoppedBy.kind() == PublishException.Kind.CREDENTIALS) {
                LOG.severe(line + ". CloudWatch refuses the credentials: check the IAM policy (cloudwatch:PutMetricData)"
                        + " and the credential source; data stays buffered and is retried until shutdown");
            } else if (stoppedBy != null) {
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
