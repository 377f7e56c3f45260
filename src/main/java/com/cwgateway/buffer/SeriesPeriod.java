package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What may be merged losslessly: one series (namespace, metric name, the set of dimensions in any order,
 * unit, storage resolution) in one period, the minute for standard resolution and the second for
 * {@code StorageResolution: 1}, as CloudWatch aggregates them. Unit and resolution are part of the key so
 * that points differing in them are never merged. The key is looked up once per point, so its hash is
 * computed once, when it is made.
 */
final class SeriesPeriod {

    private final String namespace;
    private final String metricName;
    private final List<Dimension> dimensions;
    private final String unit;
    private final Integer storageResolution;
    private final long periodStartMillis;
    private final int hash;

    private SeriesPeriod(String namespace, String metricName, List<Dimension> dimensions, String unit,
                         Integer storageResolution, long periodStartMillis) {
        this.namespace = namespace;
        this.metricName = metricName;
        this.dimensions = dimensions;
        this.unit = unit;
        this.storageResolution = storageResolution;
        this.periodStartMillis = periodStartMillis;
        int h = namespace.hashCode() * 31 + metricName.hashCode();
        h = h * 31 + dimensions.hashCode();
        h = h * 31 + Objects.hashCode(unit);
        h = h * 31 + Objects.hashCode(storageResolution);
        this.hash = h * 31 + Long.hashCode(periodStartMillis);
    }

    static SeriesPeriod of(String namespace, Datum datum) {
        long period = datum.storageResolution() != null && datum.storageResolution() == 1 ? 1_000 : 60_000;
        return new SeriesPeriod(namespace, datum.metricName(), sortedByName(datum.dimensions()), datum.unit(),
                datum.storageResolution(), Math.floorDiv(datum.timestampMillis(), period) * period);
    }

    /** The dimensions in name order: an insertion sort, as a datum has at most 30 and usually a handful. */
    private static List<Dimension> sortedByName(List<Dimension> dimensions) {
        for (int i = 1; i < dimensions.size(); i++) {
            if (dimensions.get(i - 1).name().compareTo(dimensions.get(i).name()) > 0) {
                Dimension[] sorted = dimensions.toArray(new Dimension[0]);
                for (int next = 1; next < sorted.length; next++) {
                    Dimension moving = sorted[next];
                    int at = next;
                    while (at > 0 && sorted[at - 1].name().compareTo(moving.name()) > 0) {
                        sorted[at] = sorted[at - 1];
                        at--;
                    }
                    sorted[at] = moving;
                }
                return Arrays.asList(sorted);
            }
        }
        return dimensions;
    }

    String namespace() {
        return namespace;
    }

    String metricName() {
        return metricName;
    }

    List<Dimension> dimensions() {
        return dimensions;
    }

    String unit() {
        return unit;
    }

    Integer storageResolution() {
        return storageResolution;
    }

    long periodStartMillis() {
        return periodStartMillis;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesPeriod that
                && hash == that.hash
                && periodStartMillis == that.periodStartMillis
                && metricName.equals(that.metricName)
                && namespace.equals(that.namespace)
                && dimensions.equals(that.dimensions)
                && Objects.equals(unit, that.unit)
                && Objects.equals(storageResolution, that.storageResolution);
    }
}
