package com.cwgateway.buffer;

import com.cwgateway.ingest.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import java.util.List;

/**
 * Everything buffered for one {@link SeriesPeriod}, merged without loss: single values and
 * {@code Values}/{@code Counts} into one table of distinct values and counts (so every percentile stays
 * exact), statistic sets into one statistic set (counts and sums add, min of minima, max of maxima).
 * The two are kept apart, since folding values into a statistic set would lose their percentiles.
 *
 * <p>Once drained it is handed out as datums, possibly over several parts ({@link #takeDatums}); what is
 * not handed out yet can be merged back into the live buffer ({@link #addRestOf}).
 */
final class SeriesAccumulator {

    private ValueCounts values;
    private boolean hasStatistics;
    private boolean statisticsTaken;
    /** Values handed out so far, from the smallest. */
    private int valuesTaken;
    private double sampleCount;
    private double sum;
    private double minimum;
    private double maximum;

    /** Merges one datum's value; returns how many bytes the buffer holds more because of it. */
    synchronized long add(MetricValue value) {
        long before = valueBytes();
        switch (value) {
            case MetricValue.Single single -> values().add(single.value(), 1);
            case MetricValue.Distribution distribution -> {
                ValueCounts table = values();
                for (int i = 0; i < distribution.values().length; i++) {
                    table.add(distribution.values()[i], distribution.counts() == null ? 1 : distribution.counts()[i]);
                }
            }
            case MetricValue.Statistics statistics -> addStatistics(statistics.sampleCount(), statistics.sum(),
                    statistics.minimum(), statistics.maximum());
        }
        return valueBytes() - before;
    }

    private void addStatistics(double count, double total, double min, double max) {
        if (!hasStatistics) {
            hasStatistics = true;
            sampleCount = count;
            sum = total;
            minimum = min;
            maximum = max;
            return;
        }
        sampleCount += count;
        sum += total;
        minimum = Math.min(minimum, min);
        maximum = Math.max(maximum, max);
    }

    private ValueCounts values() {
        if (values == null) {
            values = new ValueCounts();
        }
        return values;
    }

    /** The bytes of this accumulator and its table, by the table's capacity. */
    synchronized long bytes() {
        return HeapEstimate.ACCUMULATOR + valueBytes();
    }

    private long valueBytes() {
        return values == null ? 0 : HeapEstimate.valueCounts(values.capacity());
    }

    /** Whether nothing was handed out yet (then it can be moved back into a live table as it is). */
    synchronized boolean untouched() {
        return valuesTaken == 0 && !statisticsTaken;
    }

    /**
     * Merges what {@code drained} has not handed out into this one; returns the bytes this one grew by and,
     * through {@code samples[0]}, the samples it took.
     */
    synchronized long addRestOf(SeriesAccumulator drained, double[] samples) {
        long before = valueBytes();
        synchronized (drained) {
            if (drained.values != null && drained.valuesTaken < drained.values.size()) {
                ValueCounts table = values();
                drained.values.forEach(drained.valuesTaken, (value, count) -> {
                    table.add(value, count);
                    samples[0] += count;
                });
            }
            if (drained.hasStatistics && !drained.statisticsTaken) {
                samples[0] += drained.sampleCount;
                addStatistics(drained.sampleCount, drained.sum, drained.minimum, drained.maximum);
            }
        }
        return valueBytes() - before;
    }

    /** The samples held, values and statistic set. */
    synchronized double samples() {
        double[] samples = {hasStatistics ? sampleCount : 0};
        if (values != null) {
            values.forEach(0, (value, count) -> samples[0] += count);
        }
        return samples[0];
    }

    /** Datums not handed out yet: 150 values a datum (CloudWatch's limit), and the statistic set. */
    synchronized int datumsLeft() {
        int left = hasStatistics && !statisticsTaken ? 1 : 0;
        if (values != null) {
            left += (values.size() - valuesTaken + CloudWatchRules.MAX_VALUES - 1) / CloudWatchRules.MAX_VALUES;
        }
        return left;
    }

    /**
     * Hands out up to {@code max} datums into {@code into}, values first, from the smallest: up to 150
     * distinct values each, a lone value seen once as a plain {@code Value}, and the statistic set as its own
     * datum. Each is stamped with the start of its period, which CloudWatch aggregates to the same statistics
     * as the original timestamps. Sorts the table where it lies first; the arrays of the datums are the only
     * copy made. Returns the samples handed out.
     */
    synchronized double takeDatums(SeriesPeriod key, int max, List<Datum> into) {
        int made = 0;
        double samples = 0;
        if (values != null && valuesTaken < values.size()) {
            values.sortInPlace();
            if (values.size() == 1 && values.countAt(0) == 1) {
                into.add(datum(key, new MetricValue.Single(values.valueAt(0))));
                valuesTaken = 1;
                samples = 1;
                made = 1;
            }
            for (; made < max && valuesTaken < values.size(); made++) {
                int length = Math.min(CloudWatchRules.MAX_VALUES, values.size() - valuesTaken);
                double[] distinct = new double[length];
                double[] counts = new double[length];
                for (int i = 0; i < length; i++) {
                    distinct[i] = values.valueAt(valuesTaken + i);
                    counts[i] = values.countAt(valuesTaken + i);
                    samples += counts[i];
                }
                valuesTaken += length;
                into.add(datum(key, new MetricValue.Distribution(distinct, counts)));
            }
        }
        if (made < max && hasStatistics && !statisticsTaken) {
            statisticsTaken = true;
            samples += sampleCount;
            into.add(datum(key, new MetricValue.Statistics(sampleCount, sum, minimum, maximum)));
        }
        return samples;
    }

    private static Datum datum(SeriesPeriod key, MetricValue value) {
        return new Datum(key.metricName(), key.dimensions(), value, key.unit(), key.storageResolution(),
                key.periodStartMillis());
    }
}
