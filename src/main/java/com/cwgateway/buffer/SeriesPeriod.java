package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.util.List;
import java.util.Objects;

/**
 * What may be merged losslessly: one series (namespace, metric name, dimensions in name order, unit, storage
 * resolution) in one period, the minute or, for {@code StorageResolution: 1}, the second, as CloudWatch
 * aggregates them. It is looked up once per point, so its hash is computed once, when it is made.
 */
final class SeriesPeriod {

    private final String namespace;
    private final String metricName;
    private final List<Dimension> dimensions;
    private final String unit;
    private final Integer storageResolution;
    private final long periodStartMillis;
    private final int hash;
    /** What this key costs the buffer (see {@link HeapEstimate}), set once it is in a table. */
    private int bytes;

    /** The series and period of {@code datum}. */
    SeriesPeriod(String namespace, Datum datum) {
        long period = datum.storageResolution() != null && datum.storageResolution() == 1 ? 1_000 : 60_000;
        this.namespace = namespace;
        this.metricName = datum.metricName();
        this.dimensions = datum.dimensions();
        this.unit = datum.unit();
        this.storageResolution = datum.storageResolution();
        this.periodStartMillis = Math.floorDiv(datum.timestampMillis(), period) * period;
        int h = namespace.hashCode() * 31 + metricName.hashCode();
        h = h * 31 + dimensions.hashCode();
        h = h * 31 + Objects.hashCode(unit);
        h = h * 31 + Objects.hashCode(storageResolution);
        this.hash = h * 31 + Long.hashCode(periodStartMillis);
    }

    int bytes() {
        return bytes;
    }

    void bytes(int bytes) {
        this.bytes = bytes;
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
