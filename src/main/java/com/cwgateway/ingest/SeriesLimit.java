package com.cwgateway.ingest;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.PutMetricDataInput;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cost guard ({@code MAX_SERIES}): at most so many distinct series (namespace, metric name, dimensions) per
 * flush interval, since CloudWatch bills every custom metric; a request that would pass it is refused whole.
 * Series are compared whole, not by hash, so values made to collide still count as what they are.
 */
public final class SeriesLimit {

    private final int max;
    private final long windowMillis;
    private final Clock clock;
    private final Set<Series> seen = new HashSet<>();
    /** The series one request adds, reused from request to request (under the lock). */
    private final Set<Series> added = new HashSet<>();
    private long windowStart;

    /** Dimensions come in name order, so equal sets are equal lists; Comparable so colliding keys form a tree. */
    private record Series(String namespace, String metricName, List<Dimension> dimensions)
            implements Comparable<Series> {

        @Override
        public int compareTo(Series other) {
            int order = namespace.compareTo(other.namespace);
            if (order == 0) {
                order = metricName.compareTo(other.metricName);
            }
            if (order == 0) {
                order = Integer.compare(dimensions.size(), other.dimensions.size());
            }
            for (int i = 0; order == 0 && i < dimensions.size(); i++) {
                order = dimensions.get(i).name().compareTo(other.dimensions.get(i).name());
                if (order == 0) {
                    order = dimensions.get(i).value().compareTo(other.dimensions.get(i).value());
                }
            }
            return order;
        }
    }

    /** {@code max} 0 turns the guard off. */
    public SeriesLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.windowStart = clock.millis();
    }

    public int max() {
        return max;
    }

    /**
     * The series one admitted request added to the count, kept once {@link #commit() committed}; closed without
     * that (its spool write failed), it gives them back, so a refused request does not keep using up the cap.
     * The same shape as the buffer's reservation, and closed with it.
     */
    public final class Admission implements AutoCloseable {

        private final Set<Series> added;
        private final long admittedInWindow;
        private boolean committed;

        private Admission(Set<Series> added, long admittedInWindow) {
            this.added = added;
            this.admittedInWindow = admittedInWindow;
        }

        /** The request was accepted: its series stay counted. */
        public void commit() {
            committed = true;
        }

        /**
         * Uncounts the series this request added, unless committed or a new window has begun since. A request
         * admitted in between that sent one of them goes uncounted for it: the cap errs towards taking data.
         */
        @Override
        public void close() {
            if (!committed && !added.isEmpty()) {
                synchronized (SeriesLimit.this) {
                    if (admittedInWindow == windowStart) {
                        seen.removeAll(added);
                    }
                }
            }
        }
    }

    /** Admits the inputs' series, or none of them (returning null) when they would pass the cap. */
    public synchronized Admission admit(List<PutMetricDataInput> inputs) {
        if (max == 0) {
            return new Admission(Set.of(), windowStart);
        }
        long now = clock.millis();
        if (now - windowStart >= windowMillis) {
            seen.clear();
            windowStart = now;
        }
        added.clear();
        for (PutMetricDataInput input : inputs) {
            for (Datum datum : input.datums()) {
                Series series = new Series(input.namespace(), datum.metricName(), datum.dimensions());
                if (!seen.contains(series)) {
                    added.add(series);
                }
            }
        }
        if (seen.size() + added.size() > max) {
            return null;
        }
        seen.addAll(added);
        return new Admission(added.isEmpty() ? Set.of() : Set.copyOf(added), windowStart);
    }
}
