package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.metric.MetricValue;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Counts the points a buffer holds against {@code MAX_BUFFERED_POINTS}. A request reserves the most it
 * could add before adding anything, so it is accepted or refused whole, and concurrent requests cannot
 * together pass the cap.
 */
final class PointBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    PointBudget(long max) {
        this.max = max;
    }

    /** Reserves {@code points}, or returns false (reserving nothing) when that would pass the cap. */
    boolean tryReserve(long points) {
        while (true) {
            long current = held.get();
            if (current + points > max) {
                return false;
            }
            if (held.compareAndSet(current, current + points)) {
                return true;
            }
        }
    }

    /**
     * Reserves {@code points}, then asks {@code admit}, giving the points back when it says no; so what
     * {@code admit} counts is never counted for a request refused for room.
     */
    MetricBuffer.Added tryReserve(long points, BooleanSupplier admit) {
        if (!tryReserve(points)) {
            return MetricBuffer.Added.NONE_BUFFER_FULL;
        }
        if (!admit.getAsBoolean()) {
            release(points);
            return MetricBuffer.Added.NONE_NOT_ADMITTED;
        }
        return MetricBuffer.Added.ALL;
    }

    /** Adds points regardless of the cap (data coming back from a failed publish). */
    void add(long points) {
        held.addAndGet(points);
    }

    void release(long points) {
        held.addAndGet(-points);
    }

    long held() {
        return held.get();
    }

    /** The most points these batches can add. */
    static long pointsOf(List<MetricBatch> batches) {
        long points = 0;
        for (MetricBatch batch : batches) {
            for (Datum datum : batch.datums()) {
                points += pointsOf(datum);
            }
        }
        return points;
    }

    /** The most points a datum can add: one per value it carries. */
    static int pointsOf(Datum datum) {
        return datum.value() instanceof MetricValue.Distribution distribution
                ? distribution.values().length : 1;
    }
}
