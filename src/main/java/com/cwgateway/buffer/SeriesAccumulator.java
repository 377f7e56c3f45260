package com.cwgateway.buffer;

import com.cwgateway.ingest.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything buffered for one {@link SeriesPeriod}, merged without loss: single values and
 * {@code Values}/{@code Counts} into one table of distinct values and counts (so every percentile stays
 * exact), statistic sets into one statistic set (counts and sums add, min of minima, max of maxima).
 * The two are kept apart, since folding values into a statistic set would lose their percentiles.
 */
final class SeriesAccumulator {

    private ValueCounts values;
    private boolean hasStatistics;
    private double sampleCount;
    private double sum;
    private double minimum;
    private double maximum;

    /** Merges one datum's value; returns how many points the buffer holds more because of it. */
    synchronized int add(MetricValue value) {
        return switch (value) {
            case MetricValue.Single single -> values().add(single.value(), 1) ? 1 : 0;
            case MetricValue.Distribution distribution -> {
                int added = 0;
                ValueCounts table = values();
                for (int i = 0; i < distribution.values().length; i++) {
                    double count = distribution.counts() == null ? 1 : distribution.counts()[i];
                    if (table.add(distribution.values()[i], count)) {
                        added++;
                    }
                }
                yield added;
            }
            case MetricValue.Statistics statistics -> {
                if (!hasStatistics) {
                    hasStatistics = true;
                    sampleCount = statistics.sampleCount();
                    sum = statistics.sum();
                    minimum = statistics.minimum();
                    maximum = statistics.maximum();
                    yield 1;
                }
                sampleCount += statistics.sampleCount();
                sum += statistics.sum();
                minimum = Math.min(minimum, statistics.minimum());
                maximum = Math.max(maximum, statistics.maximum());
                yield 0;
            }
        };
    }

    private ValueCounts values() {
        if (values == null) {
            values = new ValueCounts();
        }
        return values;
    }

    /** The points held: distinct values, plus one for a statistic set. */
    synchronized int points() {
        return (values == null ? 0 : values.size()) + (hasStatistics ? 1 : 0);
    }

    /**
     * The datums to publish: up to 150 distinct values each (CloudWatch's limit), a lone value seen once
     * as a plain {@code Value}, and the statistic set as its own datum. Each is stamped with the start of
     * its period, which CloudWatch aggregates to the same statistics as the original timestamps.
     */
    synchronized List<Datum> toDatums(SeriesPeriod key) {
        List<Datum> datums = new ArrayList<>(1);
        if (values != null && values.size() > 0) {
            double[][] sorted = values.sorted();
            double[] distinct = sorted[0];
            double[] counts = sorted[1];
            if (distinct.length == 1 && counts[0] == 1) {
                datums.add(datum(key, new MetricValue.Single(distinct[0])));
            } else {
                for (int from = 0; from < distinct.length; from += CloudWatchRules.MAX_VALUES) {
                    int to = Math.min(distinct.length, from + CloudWatchRules.MAX_VALUES);
                    datums.add(datum(key, new MetricValue.Distribution(Arrays.copyOfRange(distinct, from, to),
                            Arrays.copyOfRange(counts, from, to))));
                }
            }
        }
        if (hasStatistics) {
            datums.add(datum(key, new MetricValue.Statistics(sampleCount, sum, minimum, maximum)));
        }
        return datums;
    }

    private static Datum datum(SeriesPeriod key, MetricValue value) {
        return new Datum(key.metricName(), key.dimensions(), value, key.unit(), key.storageResolution(),
                key.periodStartMillis());
    }
}
