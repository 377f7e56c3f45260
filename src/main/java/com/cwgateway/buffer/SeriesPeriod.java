package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What may be merged losslessly: one series (namespace, metric name, the set of dimensions in any order,
 * unit, storage resolution) in one period, the minute for standard resolution and the second for
 * {@code StorageResolution: 1}, as CloudWatch aggregates them. Unit and resolution are part of the key so
 * that points differing in them are never merged.
 */
record SeriesPeriod(String namespace, String metricName, List<Dimension> dimensions, String unit,
                    Integer storageResolution, long periodStartMillis) {

    private static final Comparator<Dimension> BY_NAME = Comparator.comparing(Dimension::name);

    static SeriesPeriod of(String namespace, Datum datum) {
        long period = datum.storageResolution() != null && datum.storageResolution() == 1 ? 1_000 : 60_000;
        return new SeriesPeriod(namespace, datum.metricName(), sortedByName(datum.dimensions()), datum.unit(),
                datum.storageResolution(), Math.floorDiv(datum.timestampMillis(), period) * period);
    }

    private static List<Dimension> sortedByName(List<Dimension> dimensions) {
        for (int i = 1; i < dimensions.size(); i++) {
            if (dimensions.get(i - 1).name().compareTo(dimensions.get(i).name()) > 0) {
                List<Dimension> sorted = new ArrayList<>(dimensions);
                sorted.sort(BY_NAME);
                return sorted;
            }
        }
        return dimensions;
    }
}
