package com.cwgateway.ingest;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricBatch;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The cost guard ({@code MAX_SERIES}): at most so many distinct series (namespace, metric name, the set of
 * dimensions) per flush interval. CloudWatch bills every custom metric, so a client that puts a request id
 * into a dimension would otherwise create a metric per request. A request that would pass the cap is
 * refused whole. Series are remembered as 64-bit hashes: eight bytes each, and a collision can only let a
 * series through, never refuse one wrongly.
 */
public final class SeriesLimit {

    private final int max;
    private final long windowMillis;
    private final Clock clock;
    private final LongSet seen = new LongSet();
    /** The series one request adds, reused from request to request (under the lock). */
    private final LongSet added = new LongSet();
    private long windowStart;

    /** {@code max} 0 turns the guard off. */
    public SeriesLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.windowStart = clock.millis();
    }

    public int max() {
        return max;
    }

    /** Admits the batches' series, or none of them (returning false) when they would pass the cap. */
    public synchronized boolean admit(List<MetricBatch> batches) {
        if (max == 0) {
            return true;
        }
        long now = clock.millis();
        if (now - windowStart >= windowMillis) {
            seen.clear();
            windowStart = now;
        }
        added.clear();
        for (MetricBatch batch : batches) {
            for (Datum datum : batch.datums()) {
                long series = identity(batch.namespace(), datum);
                if (!seen.contains(series)) {
                    added.add(series);
                }
            }
        }
        if (seen.size() + added.size() > max) {
            return false;
        }
        added.forEach(seen::add);
        return true;
    }

    /** A hash of the series' identity; the dimensions' hashes are summed, so their order does not matter. */
    private static long identity(String namespace, Datum datum) {
        long dimensions = 0;
        for (Dimension dimension : datum.dimensions()) {
            dimensions += mix(dimension.name().hashCode() * 31L + dimension.value().hashCode()
                    + ((long) dimension.value().length() << 32));
        }
        return mix(namespace.hashCode() * 0x9E37_79B9L + datum.metricName().hashCode()) ^ dimensions;
    }

    private static long mix(long value) {
        long h = value * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 31;
        h *= 0x94D0_49BB_1331_11EBL;
        return h ^ (h >>> 29);
    }
}
