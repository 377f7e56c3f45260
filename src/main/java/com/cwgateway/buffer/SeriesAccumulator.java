package com.cwgateway.buffer;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import java.util.List;

/**
 * Everything buffered for one {@link SeriesPeriod}, merged without loss: values into one table of distinct
 * values and counts (every percentile stays exact), statistic sets into one statistic set. The two are kept
 * apart: folding values into a statistic set would lose their percentiles. Once drained it is handed out
 * over one or more parts ({@link #takeDatums}); the rest can be merged back ({@link #addRestOf}).
 */
final class SeriesAccumulator {

    private ValueCounts values;
    private boolean hasStatistics;
    private boolean statisticsTaken;
    /** Values handed out so far, from the smallest. */
    private int valuesTaken;
    private double sampleCount;
    /** The statistic sets merged into this one: their points. */
    private long statisticsPoints;
    private double sum;
    private double minimum;
    private double maximum;

    /** Merges one datum's value and points; returns how many bytes the buffer holds more because of it. */
    synchronized long add(Datum datum) {
        long before = valueBytes();
        switch (datum.value()) {
            case MetricValue.Single single -> values().add(single.value(), 1, datum.points());
            case MetricValue.Distribution distribution -> addValues(distribution, datum.points());
            case MetricValue.Statistics statistics -> addStatistics(statistics.sampleCount(), statistics.sum(),
                    statistics.minimum(), statistics.maximum(), datum.points());
        }
        return valueBytes() - before;
    }

    /**
     * Adds each value with its count. A datum as a client sent it is one point a value. A datum handed out
     * and put back after a failed publish carries the points merged into it: each value's points are its count
     * when the counts are whole and add up to them (values that were all sent with a count of 1); otherwise
     * each value gets one and the smallest the rest, so the series' total stays exact.
     */
    private void addValues(MetricValue.Distribution distribution, long points) {
        double[] values = distribution.values();
        double[] counts = distribution.counts();
        boolean pointsAreCounts = counts != null && points != values.length && countsAddUpTo(counts, points);
        long rest = points - values.length;
        ValueCounts table = values();
        for (int i = 0; i < values.length; i++) {
            double count = counts == null ? 1 : counts[i];
            long valuePoints = pointsAreCounts ? (long) count : i == 0 ? 1 + rest : 1;
            table.add(values[i], count, valuePoints);
        }
    }

    private static boolean countsAddUpTo(double[] counts, long points) {
        long total = 0;
        for (double count : counts) {
            if (count < 1 || count != Math.rint(count) || count > points) {
                return false;
            }
            total += (long) count;
        }
        return total == points;
    }

    private void addStatistics(double count, double total, double min, double max, long points) {
        statisticsPoints += points;
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
        return values == null ? 0 : HeapEstimate.valueCounts(values.capacity(), values.keepsPoints());
    }

    /** Whether nothing was handed out yet (then it can be moved back into a live table as it is). */
    synchronized boolean untouched() {
        return valuesTaken == 0 && !statisticsTaken;
    }

    /**
     * Merges what {@code drained} has not handed out into this one; returns the bytes this one grew by and,
     * through {@code points[0]}, the points it took.
     */
    synchronized long addRestOf(SeriesAccumulator drained, long[] points) {
        long before = valueBytes();
        synchronized (drained) {
            if (drained.values != null && drained.valuesTaken < drained.values.size()) {
                ValueCounts table = values();
                drained.values.forEach(drained.valuesTaken, (value, count, valuePoints) -> {
                    table.add(value, count, valuePoints);
                    points[0] += valuePoints;
                });
            }
            if (drained.hasStatistics && !drained.statisticsTaken) {
                points[0] += drained.statisticsPoints;
                addStatistics(drained.sampleCount, drained.sum, drained.minimum, drained.maximum,
                        drained.statisticsPoints);
            }
        }
        return valueBytes() - before;
    }

    /** The points held, values and statistic set. */
    synchronized long points() {
        long[] points = {statisticsPoints};
        if (values != null) {
            values.forEach(0, (value, count, valuePoints) -> points[0] += valuePoints);
        }
        return points[0];
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
     * Hands out up to {@code max} datums into {@code into}: values from the smallest, 150 a datum (a lone value
     * seen once as a plain {@code Value}), then the statistic set. Each is stamped with the start of its period,
     * which CloudWatch aggregates the same as the original timestamps. Returns the points handed out.
     */
    synchronized long takeDatums(SeriesPeriod key, int max, List<Datum> into) {
        int made = 0;
        long points = 0;
        if (values != null && valuesTaken < values.size()) {
            values.sortInPlace();
            if (values.size() == 1 && values.countAt(0) == 1) {
                points = values.pointsAt(0);
                into.add(datum(key, new MetricValue.Single(values.valueAt(0)), points));
                valuesTaken = 1;
                made = 1;
            }
            for (; made < max && valuesTaken < values.size(); made++) {
                int length = Math.min(CloudWatchRules.MAX_VALUES, values.size() - valuesTaken);
                double[] distinct = new double[length];
                double[] counts = new double[length];
                long datumPoints = 0;
                for (int i = 0; i < length; i++) {
                    distinct[i] = values.valueAt(valuesTaken + i);
                    counts[i] = values.countAt(valuesTaken + i);
                    datumPoints += values.pointsAt(valuesTaken + i);
                }
                valuesTaken += length;
                points += datumPoints;
                into.add(datum(key, new MetricValue.Distribution(distinct, counts), datumPoints));
            }
        }
        if (made < max && hasStatistics && !statisticsTaken) {
            statisticsTaken = true;
            points += statisticsPoints;
            into.add(datum(key, new MetricValue.Statistics(sampleCount, sum, minimum, maximum), statisticsPoints));
        }
        return points;
    }

    private static Datum datum(SeriesPeriod key, MetricValue value, long points) {
        return new Datum(key.metricName(), key.dimensions(), value, key.unit(), key.storageResolution(),
                key.periodStartMillis(), points);
    }
}
