package com.cwgateway.testsupport;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What reached CloudWatch, in points by metric name, for clients that send one {@code Value} per datum (as
 * {@link Poster} does): a datum's Value is one point, Values count their Counts (aggregation merges a point
 * that arrives twice in one minute into a count of 2), a StatisticValues is one point. With names sent once
 * each, every point beyond the first of a name is a duplicate.
 */
public final class Deliveries {

    private final Map<String, Long> pointsByName = new HashMap<>();
    private long points;

    private Deliveries() {}

    public static Deliveries of(List<RecordedDatum> datums) {
        Deliveries deliveries = new Deliveries();
        for (RecordedDatum datum : datums) {
            long points = points(datum);
            deliveries.pointsByName.merge(datum.metricName(), points, Long::sum);
            deliveries.points += points;
        }
        return deliveries;
    }

    private static long points(RecordedDatum datum) {
        if (datum.values() == null) {
            return 1; // a Value, or a StatisticValues
        }
        if (datum.counts() == null) {
            return datum.values().size();
        }
        long points = 0;
        for (double count : datum.counts()) {
            if (count != Math.rint(count) || count < 1) {
                throw new AssertionError(datum.metricName() + " was delivered with a count of " + count
                        + ": a client of single values makes whole counts only");
            }
            points += (long) count;
        }
        return points;
    }

    /**
     * Waits until every name of {@code expected} was delivered ({@link CloudWatchStandIn#deliveredCalls()});
     * fails naming some that were not.
     */
    public static void await(CloudWatchStandIn cloudWatch, Set<String> expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> waiting = new HashSet<>(expected);
        int seen = 0;
        while (!waiting.isEmpty()) {
            List<RecordedCall> calls = cloudWatch.deliveredCalls();
            for (; seen < calls.size(); seen++) {
                calls.get(seen).datums().forEach(datum -> waiting.remove(datum.metricName()));
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(waiting.size() + " of " + expected.size() + " points not delivered within "
                        + timeout + ", e.g. " + waiting.stream().sorted().limit(10).toList());
            }
            cloudWatch.takeCall(Duration.ofMillis(200));
        }
    }

    /** Every point delivered, duplicates included. */
    public long points() {
        return points;
    }

    /** Distinct names delivered. */
    public int names() {
        return pointsByName.size();
    }

    /** Points delivered more than once: every point of a name beyond its first. */
    public long duplicates() {
        return points - pointsByName.size();
    }

    public boolean contains(String name) {
        return pointsByName.containsKey(name);
    }

    /** The names of {@code expected} never delivered, sorted, at most 20 of them (for a message). */
    public List<String> missing(Collection<String> expected) {
        return expected.stream().filter(name -> !pointsByName.containsKey(name)).sorted().limit(20)
                .collect(Collectors.toList());
    }

    /** How many of {@code names} were delivered. */
    public long deliveredOf(Collection<String> names) {
        return names.stream().filter(pointsByName::containsKey).count();
    }
}
