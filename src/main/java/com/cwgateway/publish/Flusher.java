package com.cwgateway.publish;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves the buffer to the sink every flush interval, in chunks that fit one PutMetricData request.
 * Flushes never overlap (one scheduler thread, and a lock for the final flush at shutdown); a chunk that
 * fails goes back into the buffer for the next flush, so nothing accepted is dropped here.
 */
public final class Flusher {

    private static final Logger LOG = Logger.getLogger(Flusher.class.getName());

    private final MetricBuffer buffer;
    private final MetricSink sink;
    private final Duration interval;
    private final Duration callTimeout;
    private final ReentrantLock flushing = new ReentrantLock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "flusher");
        thread.setDaemon(true);
        return thread;
    });

    public Flusher(MetricBuffer buffer, MetricSink sink, Duration interval, Duration callTimeout) {
        this.buffer = buffer;
        this.sink = sink;
        this.interval = interval;
        this.callTimeout = callTimeout;
    }

    public void start() {
        long millis = interval.toMillis();
        scheduler.scheduleAtFixedRate(this::scheduledFlush, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void scheduledFlush() {
        try {
            flush(Long.MAX_VALUE);
        } catch (RuntimeException | Error e) {
            // An escaped exception would cancel every later flush; log it and keep the schedule.
            LOG.log(Level.SEVERE, "flush failed unexpectedly; buffered data is kept for the next flush", e);
        }
    }

    /**
     * Publishes everything buffered now, stopping at the first failure that may pass (throttling, 5xx,
     * timeouts, network: later chunks would only meet it again) and at {@code deadlineNanos}
     * ({@link System#nanoTime()}). What is not published goes back into the buffer.
     *
     * @return how many datums were published
     */
    public int flush(long deadlineNanos) {
        flushing.lock();
        try {
            return flushLocked(deadlineNanos);
        } finally {
            flushing.unlock();
        }
    }

    private int flushLocked(long deadlineNanos) {
        Map<String, List<Datum>> drained = buffer.drain();
        int published = 0;
        boolean stopped = false;
        for (Map.Entry<String, List<Datum>> entry : drained.entrySet()) {
            String namespace = entry.getKey();
            for (List<Datum> chunk : Chunker.chunks(namespace, entry.getValue())) {
                long left = deadlineNanos - System.nanoTime();
                if (stopped || left <= 0) {
                    buffer.requeue(namespace, chunk);
                    continue;
                }
                try {
                    sink.publish(namespace, chunk, left < callTimeout.toNanos() ? Duration.ofNanos(left) : callTimeout);
                    published += chunk.size();
                } catch (PublishException e) {
                    buffer.requeue(namespace, chunk);
                    stopped = e.retryable();
                    LOG.warning("PutMetricData failed: " + e.errorCode() + ": " + e.getMessage() + " (namespace "
                            + namespace + ", " + chunk.size() + " datums kept for the next flush"
                            + (stopped ? "; the rest of this flush waits too" : "") + ")");
                } catch (RuntimeException e) {
                    buffer.requeue(namespace, chunk);
                    stopped = true;
                    LOG.log(Level.WARNING, "PutMetricData failed unexpectedly (namespace " + namespace + ", "
                            + chunk.size() + " datums kept for the next flush)", e);
                }
            }
        }
        if (published > 0 && LOG.isLoggable(Level.FINE)) {
            LOG.fine("flush published " + published + " datums; " + buffer.points() + " points buffered");
        }
        return published;
    }

    /**
     * Stops the schedule, waits for a flush in progress, then flushes until the buffer is empty, a flush
     * makes no progress, or {@code deadlineNanos} passes.
     *
     * @return how many points are left undelivered
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
}
