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
     * The series one request added to the count: {@link #giveBack} takes them out again when the request is
     * refused after all (its spool write failed), so a refused request does not keep using up the cap.
     */
    public static final class Admission {

        private static final Admission NOTHING_ADDED = new Admission(Set.of(), 0);
        private static final Admission REFUSED = new Admission(Set.of(), 0);

        private final Set<Series> added;
        private final long windowStart;

        private Admission(Set<Series> added, long windowStart) {
            this.added = added;
            this.windowStart = windowStart;
        }

        public boolean admitted() {
            return this != REFUSED;
        }
    }

    /** Admits the inputs' series, or none of them (then {@link Admission#admitted()} is false) past the cap. */
    public synchronized Admission admit(List<PutMetricDataInput> inputs) {
        if (max == 0) {
            return Admission.NOTHING_ADDED;
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
            return Admission.REFUSED;
        }
        if (added.isEmpty()) {
            return Admission.NOTHING_ADDED;
        }
        seen.addAll(added);
        return new Admission(Set.copyOf(added), windowStart);
    }

    /**
     * Uncounts the series {@code admission} added, unless a new window has begun since. A request admitted in
     * between that sent one of them goes uncounted for it: the cap errs towards taking data, never against it.
     */
    public synchronized void giveBack(Admission admission) {
        if (admission.admitted() && admission.windowStart == windowStart) {
            seen.removeAll(admission.added);
        }
    }
}
