package com.cwgateway.metric;

import java.util.List;

/**
 * One validated MetricDatum as the gateway holds it between ingest and publish.
 *
 * @param dimensions        in name order, so the same set sent in any order is one series
 * @param unit              a CloudWatch unit name, or {@code null} when the client sent none
 * @param storageResolution 1 or 60, or {@code null} when the client sent none (CloudWatch then uses 60)
 * @param timestampMillis   epoch milliseconds; when the client sent none, the time of ingest (not of the flush)
 * @param points            the client points it carries ({@link #pointsOf}), all those merged into it
 */
public record Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                    Integer storageResolution, long timestampMillis, long points) {

    /** A datum as a client sent it: its points are those of its value. */
    public Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                 Integer storageResolution, long timestampMillis) {
        this(metricName, dimensions, value, unit, storageResolution, timestampMillis, pointsOf(value));
    }

    /** Hands this datum's fields to {@code fields}, in CloudWatch's order, those present only. */
    public <E extends Exception> void walk(DatumFields<E> fields) throws E {
        fields.metricName(metricName);
        if (!dimensions.isEmpty()) {
            fields.dimensions(dimensions);
        }
        switch (value) {
            case MetricValue.Single single -> fields.value(single.value());
            case MetricValue.Distribution distribution -> fields.values(distribution.values(), distribution.counts());
            case MetricValue.Statistics statistics -> fields.statistics(statistics);
        }
        if (unit != null) {
            fields.unit(unit);
        }
        if (storageResolution != null) {
            fields.storageResolution(storageResolution);
        }
        fields.timestamp(timestampMillis);
    }

    /**
     * The points a client's value is: one per {@code Value}, per entry of {@code Values} (whatever its count)
     * and per {@code StatisticValues}. The ledger counts whole points, which merging keeps exactly, so it
     * balances to the point; CloudWatch's sample counts are doubles.
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
