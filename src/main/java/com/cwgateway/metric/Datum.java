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
 */
public record Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                    Integer storageResolution, long timestampMillis) {

    /** How many samples this datum stands for, as CloudWatch counts them (its SampleCount). */
    public double samples() {
        return switch (value) {
            case MetricValue.Single single -> 1;
            case MetricValue.Statistics statistics -> statistics.sampleCount();
            case MetricValue.Distribution distribution -> {
                if (distribution.counts() == null) {
                    yield distribution.values().length;
                }
                double total = 0;
                for (double count : distribution.counts()) {
                    total += count;
                }
                yield total;
            }
        };
    }

    /** The samples of all these datums. */
    public static double samples(List<Datum> datums) {
        double total = 0;
        for (Datum datum : datums) {
            total += datum.samples();
        }
        return total;
    }
}
