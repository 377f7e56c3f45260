package com.cwgateway.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * Request durations in fixed buckets, for a Prometheus histogram: one counter per bucket, a sum and a count,
 * each a {@link LongAdder}, so that recording never makes request threads wait for one another.
 */
final class LatencyHistogram {

    /** Upper bounds in seconds: from a fast 202 (under a millisecond) to a slow client's large body. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private static final long[] BOUNDS_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** Per bucket, the durations in it and not in a lower one; the last is above every bound. */
    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int bucket = 0;
        while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        sumNanos.add(nanos);
    }

    /** Cumulative counts per bound, as Prometheus wants them, then the count of all (the +Inf bucket). */
    long[] cumulative() {
        long[] cumulative = new long[counts.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            total += counts[i].sum();
            cumulative[i] = total;
        }
        return cumulative;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
