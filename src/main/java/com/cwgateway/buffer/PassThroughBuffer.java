package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The buffer with aggregation off ({@code METRICS_AGGREGATION=false}): datums are published as received, in
 * arrival order within each namespace. A lock-free queue per namespace, so request threads never wait for
 * one another; a drain swaps in empty queues ({@link SwappedBuffer}) and hands the old ones out part by part.
 */
public final class PassThroughBuffer extends SwappedBuffer<ConcurrentLinkedQueue<Datum>> {

    /** Datums put back into the live buffer at a time after a failed flush. */
    private static final int MOVE_SLICE = 1000;

    public PassThroughBuffer(long maxBytes) {
        super(maxBytes);
    }

    @Override
    public Reservation reserve(List<PutMetricDataInput> inputs) {
        swap.readLock().lock();
        boolean reserved = false;
        try {
            Generation<ConcurrentLinkedQueue<Datum>> generation = live;
            long bytes = 0;
            for (PutMetricDataInput input : inputs) {
                bytes += generation.namespaceAtMost(input.namespace());
                for (Datum datum : input.datums()) {
                    bytes += held(datum) + generation.stringsAtMost(datum);
                }
            }
            if (!budget.tryReserve(bytes)) {
                return null;
            }
            reserved = true;
            return reservation(bytes, () -> {
                for (PutMetricDataInput input : inputs) {
                    enqueue(generation, input.namespace(), input.datums());
                }
            });
        } finally {
            if (!reserved) {
                swap.readLock().unlock();
            }
        }
    }

    @Override
    public void requeue(String namespace, List<Datum> datums) {
        addToLive(generation -> enqueue(generation, namespace, datums));
    }

    private static void enqueue(Generation<ConcurrentLinkedQueue<Datum>> generation, String namespace,
                                Iterable<Datum> datums) {
        ConcurrentLinkedQueue<Datum> queue = generation.namespace(namespace, name -> new ConcurrentLinkedQueue<>());
        long added = 0;
        long points = 0;
        for (Datum datum : datums) {
            queue.add(datum);
            added += held(datum) + generation.strings(datum.metricName(), datum.unit(), datum.dimensions());
            points += datum.points();
        }
        generation.count(added, points);
    }

    /** A queued datum without its strings and dimensions, which may be shared with other datums. */
    private static long held(Datum datum) {
        return HeapEstimate.QUEUED_DATUM + HeapEstimate.value(datum.value());
    }

    /** Moves datums from {@code queue} into {@code into} until it holds {@code max}; returns their bytes. */
    private static long poll(ConcurrentLinkedQueue<Datum> queue, int max, List<Datum> into) {
        long bytes = 0;
        Datum datum;
        while (into.size() < max && (datum = queue.poll()) != null) {
            into.add(datum);
            bytes += held(datum);
        }
        return bytes;
    }

    @Override
    Drained parts(Generation<ConcurrentLinkedQueue<Datum>> taken) {
        return new Parts(taken);
    }

    /**
     * Drained queues, handed out namespace by namespace in arrival order. A part's bytes are its datums';
     * their strings and dimensions, which datums may share, leave the budget once all is handed out.
     */
    private final class Parts extends Drained {
        private Iterator<Map.Entry<String, ConcurrentLinkedQueue<Datum>>> namespaces;
        private Map.Entry<String, ConcurrentLinkedQueue<Datum>> current;

        Parts(Generation<ConcurrentLinkedQueue<Datum>> taken) {
            super(budget, drains, taken);
            this.namespaces = taken.namespaces.entrySet().iterator();
        }

        @Override
        Taken take(int maxDatums) {
            while (current == null || current.getValue().isEmpty()) {
                if (!namespaces.hasNext()) {
                    return null;
                }
                current = namespaces.next();
            }
            List<Datum> datums = new ArrayList<>(Math.min(maxDatums, 1000));
            long bytes = poll(current.getValue(), maxDatums, datums);
            return new Taken(current.getKey(), datums, Datum.points(datums), bytes);
        }

        @Override
        void putBackRest() {
            if (current != null) {
                moveBack(current.getKey(), current.getValue());
            }
            namespaces.forEachRemaining(queue -> moveBack(queue.getKey(), queue.getValue()));
        }

        /** Moves a queue back a slice at a time, so its datums are never counted both here and there. */
        private void moveBack(String namespace, ConcurrentLinkedQueue<Datum> queue) {
            List<Datum> slice = new ArrayList<>(MOVE_SLICE);
            while (!queue.isEmpty()) {
                movingBack(poll(queue, MOVE_SLICE, slice));
                addToLive(generation -> enqueue(generation, namespace, slice));
                slice.clear();
            }
        }

        @Override
        void forget() {
            namespaces = null;
            current = null;
        }
    }
}
