package com.cwgateway.metric;

import java.util.List;

/**
 * One validated MetricDatum as the gateway holds it between ingest and publish.
 *
 * @param dimensions        in name order, as the reader puts them, so that the same set sent in any order is
 *                          one series (the buffer's key compares them as lists)
 * @param unit              a CloudWatch unit name, or {@code null} when the client sent none
 * @param storageResolution 1 or 60, or {@code null} when the client sent none (CloudWatch then uses 60)
 * @param timestampMillis   epoch milliseconds; stamped at ingest when the client sent none, so a point
 *                          lands in the minute it was received, not the minute it was flushed
 * @param points            the points clients sent that this datum carries (see {@link #pointsOf}): a datum
 *                          the buffer merged carries every point merged into it
 */
public record Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                    Integer storageResolution, long timestampMillis, long points) {

    /** A datum as a client sent it: its points are those of its value. */
    public Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                 Integer storageResolution, long timestampMillis) {
        this(metricName, dimensions, value, unit, storageResolution, timestampMillis, pointsOf(value));
    }

    /**
     * The points a value sent by a client is: one per {@code Value}, one per entry of {@code Values} (whatever
     * its count), one per {@code StatisticValues}. The ledger counts in points, whole numbers that merging
     * keeps exactly, so it balances to the point; CloudWatch's sample counts are doubles, which it does not.
     */
    public static long pointsOf(MetricValue value) {
        return switch (value) {
            case MetricValue.Single single -> 1;
            case MetricValue.Statistics statistics -> 1;
            case MetricValue.Distribution distribution -> distribution.values().length;
        };
    }

    /** The points of all these datums. */
    public static long points(List<Datum> datums) {
        long total = 0;
        for (Datum datum : datums) {
            total += datum.points();
        }
        return total;
    }
}
