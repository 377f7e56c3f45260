package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * The buffer with aggregation off ({@code METRICS_AGGREGATION=false}): datums are published as received,
 * in arrival order. A lock-free queue, so request threads never wait for one another or for a flush; one
 * point per value held.
 */
public final class PassThroughBuffer implements MetricBuffer {

    private record Entry(String namespace, Datum datum) {}

    private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final PointBudget budget;

    public PassThroughBuffer(long maxPoints) {
        this.budget = new PointBudget(maxPoints);
    }

    @Override
    public Added tryAdd(List<MetricBatch> batches, BooleanSupplier admit) {
        Added added = budget.tryReserve(PointBudget.pointsOf(batches), admit);
        if (added == Added.ALL) {
            for (MetricBatch batch : batches) {
                enqueue(batch.namespace(), batch.datums());
            }
        }
        return added;
    }

    @Override
    public void requeue(String namespace, List<Datum> datums) {
        for (Datum datum : datums) {
            budget.add(PointBudget.pointsOf(datum));
        }
        enqueue(namespace, datums);
    }

    private void enqueue(String namespace, List<Datum> datums) {
        for (Datum datum : datums) {
            queue.add(new Entry(namespace, datum));
        }
    }

    @Override
    public Drained drain() {
        return new DrainedMap(this, drainAll());
    }

    private Map<String, List<Datum>> drainAll() {
        Map<String, List<Datum>> byNamespace = new LinkedHashMap<>();
        for (Entry entry = queue.poll(); entry != null; entry = queue.poll()) {
            budget.release(PointBudget.pointsOf(entry.datum()));
            byNamespace.computeIfAbsent(entry.namespace(), namespace -> new ArrayList<>()).add(entry.datum());
        }
        return byNamespace;
    }

    @Override
    public long points() {
        return budget.held();
    }
}
