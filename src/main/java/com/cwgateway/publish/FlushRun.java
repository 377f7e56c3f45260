package com.cwgateway.publish;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.Taken;
import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * One flush: drains the buffer and publishes it in chunks that fit one PutMetricData request, settling every
 * point in the ledger exactly once:
 * <ul>
 * <li>published when CloudWatch confirms the call;
 * <li>dropped when too old, or when CloudWatch rejects the datum ({@link PoisonIsolation}) or the whole request;
 * <li>requeued when a call fails for a reason that may pass, when the run has stopped or the deadline leaves no
 *     time for a call, or when a refused chunk is left to search after the run spent its isolation calls.
 * </ul>
 */
final class FlushRun {

    private static final Logger LOG = Logger.getLogger(FlushRun.class.getName());

    /** A call is not started with less time than this left before the deadline: it could not finish. */
    static final long MIN_CALL_NANOS = Duration.ofMillis(100).toNanos();

    /** Margin for clock skew and transit: a point this close to CloudWatch's age limit would be refused. */
    private static final Duration AGE_MARGIN = Duration.ofMinutes(1);

    private final MetricBuffer buffer;
    private final MetricSink sink;
    private final DeliveryStats stats;
    private final RetryBackoff backoff;
    private final Duration callTimeout;
    private final Clock clock;
    private final Deadline deadline;
    private final PoisonIsolation isolation;

    // Several threads may publish parts of one run at shutdown: the tallies are shared.
    private final AtomicInteger publishedDatums = new AtomicInteger();
    private final LongAdder publishedPoints = new LongAdder();
    private final LongAdder requeuedPoints = new LongAdder();
    private final LongAdder droppedPoints = new LongAdder();
    private final AtomicReference<PublishException> stoppedBy = new AtomicReference<>();
    private volatile boolean deadlineReached;

    FlushRun(MetricBuffer buffer, MetricSink sink, DeliveryStats stats, RetryBackoff backoff, Duration callTimeout,
             Clock clock, Deadline deadline) {
        this.buffer = buffer;
        this.sink = sink;
        this.stats = stats;
        this.backoff = backoff;
        this.callTimeout = callTimeout;
        this.clock = clock;
        this.deadline = deadline;
        this.isolation = new PoisonIsolation(this);
    }

    /**
     * Drains {@code source} and publishes it with {@code parallelCalls} calls at once, then tells the source
     * whether everything taken was settled for good; returns datums published.
     */
    int publish(FlushSource source, int parallelCalls) {
        Drained drained = source.drain();
        try {
            if (parallelCalls == 1) {
                work(drained);
            } else {
                List<Thread> workers = new ArrayList<>();
                for (int i = 0; i < parallelCalls; i++) {
                    // Platform threads: encoding requests on virtual ones would hold the carriers that serve HTTP.
                    workers.add(Thread.ofPlatform().name("publisher-" + i).start(() -> work(drained)));
                }
                for (Thread worker : workers) {
                    worker.join();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drained.putBack(); // whatever a stop, the deadline or a failure left unhanded
            report();
        }
        source.runEnded(!stopped() && requeuedPoints.sum() == 0);
        return publishedDatums.get();
    }

    private void work(Drained drained) {
        Taken taken;
        while (!stopped() && (taken = drained.next(CloudWatchRules.MAX_DATUMS_PER_REQUEST)) != null) {
            stats.handedOut(taken.points());
            try {
                publishPart(taken);
            } finally {
                drained.settled(taken);
            }
        }
    }

    /** Publishes one part; whatever is not settled when something unexpected escapes goes back to the buffer. */
    private void publishPart(Taken taken) {
        List<List<Datum>> chunks = Chunker.chunks(taken.namespace(), dropTooOld(taken.namespace(), taken.datums()));
        int next = 0;
        try {
            for (; next < chunks.size(); next++) {
                publishChunk(taken.namespace(), chunks.get(next));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "publishing failed unexpectedly; its points go back to the buffer", e);
            stoppedBy.compareAndSet(null, new PublishException("Unexpected", PublishException.Kind.TRANSIENT,
                    String.valueOf(e), e));
            for (int i = next; i < chunks.size(); i++) {
                requeue(taken.namespace(), chunks.get(i));
            }
        }
    }

    private boolean stopped() {
        return stoppedBy.get() != null || deadlineReached;
    }

    private List<Datum> dropTooOld(String namespace, List<Datum> datums) {
        long oldest = clock.millis() - CloudWatchRules.CLOUDWATCH_MAX_AGE.toMillis() + AGE_MARGIN.toMillis();
        List<Datum> fresh = new ArrayList<>(datums.size());
        long tooOld = 0;
        for (Datum datum : datums) {
            if (datum.timestampMillis() < oldest) {
                tooOld += datum.points();
            } else {
                fresh.add(datum);
            }
        }
        if (tooOld > 0) {
            drop(DeliveryStats.DropReason.TOO_OLD, tooOld);
            LOG.warning("dropped " + DeliveryStats.format(tooOld) + " points of namespace " + namespace + ": "
                    + DeliveryStats.DropReason.TOO_OLD.meaning() + " by the time they could be published");
        }
        return fresh;
    }

    /** Publishes one chunk and settles its points; rejected datums go to {@link PoisonIsolation}. */
    void publishChunk(String namespace, List<Datum> chunk) {
        long left = deadline.leftNanos();
        if (left < MIN_CALL_NANOS) {
            deadlineReached = true;
        }
        if (stopped()) {
            requeue(namespace, chunk);
            return;
        }
        long points = Datum.points(chunk);
        try {
            MetricSink.Published published = sink.publish(namespace, chunk,
                    left < callTimeout.toNanos() ? Duration.ofNanos(left) : callTimeout);
            stats.call("ok");
            stats.published(points);
            publishedDatums.addAndGet(chunk.size());
            publishedPoints.add(points);
            if (published.unknownAttempts() > 0) {
                possiblyDuplicated(namespace, chunk, published.unknownAttempts(), "before it succeeded");
            }
            if (stoppedBy.get() == null) {
                backoff.succeeded(); // a call that was in flight when another failed does not undo the backoff
            }
        } catch (PublishException e) {
            stats.call(e.errorCode());
            switch (e.kind()) {
                case TRANSIENT, CREDENTIALS -> stop(namespace, chunk, e);
                case UNKNOWN_OUTCOME -> {
                    possiblyDuplicated(namespace, chunk, e.unknownAttempts(), "and the call failed; it is sent again");
                    stop(namespace, chunk, e);
                }
                case REJECTED -> isolation.isolate(namespace, chunk, e);
            }
        } catch (RuntimeException e) {
            stats.call("Unexpected");
            LOG.log(Level.WARNING, "PutMetricData failed unexpectedly", e);
            stop(namespace, chunk, new PublishException("Unexpected", PublishException.Kind.TRANSIENT,
                    String.valueOf(e), e));
        }
    }

    /** Counts and logs a chunk that CloudWatch may have stored more than once. */
    private void possiblyDuplicated(String namespace, List<Datum> chunk, int attempts, String how) {
        long points = Datum.points(chunk) * attempts;
        stats.possiblyDuplicated(points);
        LOG.warning(attempts + " attempt(s) of a PutMetricData call of " + chunk.size() + " datums (namespace "
                + namespace + ") reached CloudWatch and got no answer, or one cut off, " + how
                + ": CloudWatch may hold up to "
                + DeliveryStats.format(points) + " of its points twice (answers slower than a third of "
                + "CLOUDWATCH_TIMEOUT_MS time out)");
    }

    private void stop(String namespace, List<Datum> chunk, PublishException cause) {
        if (stoppedBy.compareAndSet(null, cause)) {
            backoff.failed(System.nanoTime());
        }
        requeue(namespace, chunk);
    }

    private void requeue(String namespace, List<Datum> chunk) {
        buffer.requeue(namespace, chunk);
        long points = Datum.points(chunk);
        stats.requeued(points);
        requeuedPoints.add(points);
    }

    /** Puts back a refused chunk once the run has no isolation calls left: its good datums are not dropped. */
    void requeueUnsearched(String namespace, List<Datum> chunk, PublishException rejection) {
        requeue(namespace, chunk);
        LOG.warning("CloudWatch refused a call of " + chunk.size() + " datums ("
                + DeliveryStats.format(Datum.points(chunk)) + " points) of namespace " + namespace + ": "
                + rejection.errorCode() + ": " + rejection.getMessage() + "; this flush spent its "
                + PoisonIsolation.CALL_BUDGET + " calls for finding the datums CloudWatch rejects, so they go back to"
                + " the buffer and the next flush searches on");
    }

    /** Drops one datum CloudWatch rejects, with a line that names it. */
    void dropRejected(String namespace, Datum datum, PublishException rejection) {
        long points = datum.points();
        drop(DeliveryStats.DropReason.REJECTED, points);
        LOG.warning("dropped a datum CloudWatch rejects: " + rejection.errorCode() + ": " + rejection.getMessage()
                + " (namespace " + namespace + ", metric " + datum.metricName() + ", dimensions "
                + describe(datum.dimensions()) + ", " + DeliveryStats.format(points) + " points)");
    }

    /** Drops a whole chunk CloudWatch rejects, with one line. */
    void dropRejected(String namespace, List<Datum> chunk, PublishException rejection, String why) {
        long points = Datum.points(chunk);
        drop(DeliveryStats.DropReason.REJECTED, points);
        LOG.warning("dropped " + chunk.size() + " datums (" + DeliveryStats.format(points) + " points) of namespace "
                + namespace + " that CloudWatch rejects: " + rejection.errorCode() + ": " + rejection.getMessage()
                + "; " + why);
    }

    private void drop(DeliveryStats.DropReason reason, long points) {
        stats.dropped(reason, points);
        droppedPoints.add(points);
    }

    /** One line per run: INFO when anything failed, FINE otherwise. */
    private void report() {
        PublishException stopped = stoppedBy.get();
        long dropped = droppedPoints.sum();
        long requeued = requeuedPoints.sum();
        String run = "flush: published " + DeliveryStats.format(publishedPoints.sum()) + " points in "
                + publishedDatums.get() + " datums, requeued " + DeliveryStats.format(requeued) + ", dropped "
                + DeliveryStats.format(dropped) + (deadlineReached ? " (shutdown deadline reached)" : "")
                + "; totals " + stats.summary();
        if (stopped == null && dropped == 0 && requeued == 0) {
            if (LOG.isLoggable(Level.FINE) && publishedDatums.get() > 0) {
                LOG.fine(run);
            }
            return;
        }
        String line = stopped == null ? run
                : "PutMetricData failed: " + stopped.errorCode() + ": " + stopped.getMessage() + "; " + run;
        if (stopped != null && stopped.kind() == PublishException.Kind.CREDENTIALS) {
            LOG.severe(line + ". CloudWatch refuses the credentials: check the IAM policy (cloudwatch:PutMetricData)"
                    + " and the credential source; data stays buffered and is retried until shutdown");
        } else if (stopped != null) {
            LOG.warning(line);
        } else {
            LOG.info(line);
        }
    }

    private static String describe(List<Dimension> dimensions) {
        return dimensions.stream().map(dimension -> dimension.name() + "=" + dimension.value())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
