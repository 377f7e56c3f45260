package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * What a buffer holds from one drain to the next: a part per namespace ({@code T}), the bytes it costs,
 * counted against the budget as they are added, and the points in it. A drain swaps it out whole.
 */
final class Generation<T> {

    final ConcurrentHashMap<String, T> namespaces = new ConcurrentHashMap<>();
    private final ByteBudget budget;
    private final AtomicLong namespaceCount = new AtomicLong();
    private final HeapEstimate.Shared shared = new HeapEstimate.Shared();
    private final HeapEstimate.Shared peek = shared.peek();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder points = new LongAdder();

    Generation(ByteBudget budget) {
        this.budget = budget;
    }

    /** Counts what was added, here and in the budget (whatever was reserved for it is released apart). */
    void count(long addedBytes, long addedPoints) {
        bytes.add(addedBytes);
        points.add(addedPoints);
        budget.add(addedBytes);
    }

    /** The part of {@code namespace}, made by {@code make} and counted when there is none yet. */
    T namespace(String namespace, Function<String, T> make) {
        T part = namespaces.get(namespace);
        if (part != null) {
            return part;
        }
        T made = make.apply(namespace);
        part = namespaces.putIfAbsent(namespace, made);
        if (part != null) {
            return part;
        }
        long count = namespaceCount.incrementAndGet();
        count(HeapEstimate.NAMESPACE + shared.string(namespace) + HeapEstimate.mapTable(count)
                - HeapEstimate.mapTable(count - 1), 0);
        return made;
    }

    /** The most that adding {@code namespace} could cost. */
    long namespaceAtMost(String namespace) {
        return namespaces.containsKey(namespace) ? 0
                : HeapEstimate.NAMESPACE + peek.string(namespace) + HeapEstimate.MAP_SLOTS;
    }

    /** The bytes of a key's name, unit and dimensions that no key of this generation holds yet; counts them. */
    long strings(String metricName, String unit, List<Dimension> dimensions) {
        return shared.string(metricName) + shared.string(unit) + shared.dimensions(dimensions);
    }

    /** The most the datum's name, unit and dimensions could add, counting nothing (for a reservation). */
    long stringsAtMost(Datum datum) {
        return peek.string(datum.metricName()) + peek.string(datum.unit()) + peek.dimensions(datum.dimensions());
    }

    long bytes() {
        return bytes.sum();
    }

    long points() {
        return points.sum();
    }
}
