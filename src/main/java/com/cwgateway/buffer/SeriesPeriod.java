package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.util.List;
import java.util.Objects;

/**
 * What may be merged losslessly: one series (namespace, metric name, the set of dimensions, which a datum
 * holds in name order whatever order they were sent in, unit, storage resolution) in one period, the minute
 * for standard resolution and the second for {@code StorageResolution: 1}, as CloudWatch aggregates them.
 * Unit and resolution are part of the key so that points differing in them are never merged. The key is
 * looked up once per point, so its hash is computed once, when it is set.
 *
 * <p>Every point is looked up, and a new key per point would be the largest allocation of buffering. So a
 * caller sets one {@link #probe()} to each point and looks it up, and only a
 * point of a series and period not yet in the table makes a key of its own, with {@link #copy()}. A probe
 * never enters a table and is used by one thread; a key in a table is never set again.
 */
final class SeriesPeriod implements Cloneable {

    private String namespace;
    private String metricName;
    private List<Dimension> dimensions;
    private String unit;
    private Integer storageResolution;
    private long periodStartMillis;
    private int hash;
    /** What this key costs the buffer (see {@link HeapEstimate}), set once it is in a table. */
    private int bytes;

    private SeriesPeriod() {}

    /** A key to set to one point after another and look up with; never to be put in a table. */
    static SeriesPeriod probe() {
        return new SeriesPeriod();
    }

    /** Sets this probe to the series and period of {@code datum}; returns it. */
    SeriesPeriod set(String namespace, Datum datum) {
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
        return this;
    }

    /** A key of its own with this one's series and period (a field-by-field copy), to put in a table. */
    SeriesPeriod copy() {
        try {
            return (SeriesPeriod) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    int bytes() {
        return bytes;
    }

    void bytes(int bytes) {
        this.bytes = bytes;
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
