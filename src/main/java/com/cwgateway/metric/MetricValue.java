package com.cwgateway.metric;

/**
 * The one value form a datum carries, as CloudWatch allows exactly one of {@code Value}, {@code Values}
 * (with optional {@code Counts}) and {@code StatisticValues}.
 */
public sealed interface MetricValue {

    /** {@code Value}: one number. */
    record Single(double value) implements MetricValue {}

    /** {@code Values} with {@code Counts}; a missing {@code Counts} is held as {@code null} (CloudWatch: 1 each). */
    record Distribution(double[] values, double[] counts) implements MetricValue {}

    /** {@code StatisticValues}: a pre-aggregated statistic set. */
    record Statistics(double sampleCount, double sum, double minimum, double maximum) implements MetricValue {}
}
