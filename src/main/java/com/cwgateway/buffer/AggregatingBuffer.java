package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

/**
 * The buffer with aggregation on (the default): points of one series in one period merge as they arrive
 * (see {@link SeriesAccumulator}), so memory grows with distinct values per series and period, not with
 * requests. A point is one distinct value of a series in a period, or one statistic set.
 *
 * <p>Requests add under the shared side of a read-write lock and may run together; {@link #drain()} takes
 * the exclusive side only to swap in an empty table, so a flush holds up requests for a moment, never for
 * the time it takes to publish.
 */
public final class AggregatingBuffer implements MetricBuffer {

    private static final Comparator<Map.Entry<SeriesPeriod, SeriesAccumulator>> PUBLISHING_ORDER =
            Comparator.comparing((Map.Entry<SeriesPeriod, SeriesAccumulator> entry) -> entry.getKey().namespace())
                    .thenComparing(entry -> entry.getKey().metricName())
                    .thenComparingLong(entry -> entry.getKey().periodStartMillis());

    private final PointBudget budget;
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private ConcurrentHashMap<SeriesPeriod, SeriesAccumulator> table = new ConcurrentHashMap<>();

    public AggregatingBuffer(long maxPoints) {
        this.budget = new PointBudget(maxPoints);
    }

    @Override
    public Added tryAdd(List<MetricBatch> batches, BooleanSupplier admit) {
        long reserved = PointBudget.pointsOf(batches);
        Added reservation = budget.tryReserve(reserved, admit);
        if (reservation != Added.ALL) {
            return reservation;
        }
        long added = 0;
        swap.readLock().lock();
        try {
            for (MetricBatch batch : batches) {
                added += merge(batch.namespace(), batch.datums());
            }
        } finally {
            swap.readLock().unlock();
        }
        budget.release(reserved - added);
        return Added.ALL;
    }

    @Override
    public void requeue(String namespace, List<Datum> datums) {
        swap.readLock().lock();
        try {
            budget.add(merge(namespace, datums));
        } finally {
            swap.readLock().unlock();
        }
    }

    private long merge(String namespace, List<Datum> datums) {
        SeriesPeriod probe = SeriesPeriod.probe();
        long added = 0;
        for (Datum datum : datums) {
            SeriesAccumulator accumulator = table.get(probe.set(namespace, datum));
            if (accumulator == null) {
                accumulator = table.computeIfAbsent(probe.copy(), key -> new SeriesAccumulator());
            }
            added += accumulator.add(datum.value());
        }
        return added;
    }

    @Override
    public Drained drain() {
        return new DrainedMap(this, drainAll());
    }

    private Map<String, List<Datum>> drainAll() {
        ConcurrentHashMap<SeriesPeriod, SeriesAccumulator> taken;
        swap.writeLock().lock();
        try {
            taken = table;
            table = new ConcurrentHashMap<>();
        } finally {
            swap.writeLock().unlock();
        }
        // A stable order (by namespace, metric, then time) makes what is published easy to read and compare.
        List<Map.Entry<SeriesPeriod, SeriesAccumulator>> entries = new ArrayList<>(taken.entrySet());
        entries.sort(PUBLISHING_ORDER);
        Map<String, List<Datum>> byNamespace = new LinkedHashMap<>();
        long points = 0;
        for (Map.Entry<SeriesPeriod, SeriesAccumulator> entry : entries) {
            points += entry.getValue().points();
            byNamespace.computeIfAbsent(entry.getKey().namespace(), namespace -> new ArrayList<>())
                    .addAll(entry.getValue().toDatums(entry.getKey()));
        }
        budget.release(points);
        return byNamespace;
    }

    @Override
    public long points() {
        return budget.held();
    }
}
