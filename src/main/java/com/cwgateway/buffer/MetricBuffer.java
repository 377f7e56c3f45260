package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepted datums waiting for the next flush. Request threads add without locks; the flusher drains
 * what is there when it starts, so a flush never blocks a request and datums added during a flush wait
 * for the next one.
 */
public final class MetricBuffer {

    private final ConcurrentLinkedQueue<BufferedDatum> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    public void add(Collection<MetricBatch> batches) {
        for (MetricBatch batch : batches) {
            addAll(batch.namespace(), batch.datums());
        }
    }

    /** Puts datums (new, or back after a failed publish) into the buffer. */
    public void addAll(String namespace, List<Datum> datums) {
        for (Datum datum : datums) {
            queue.add(new BufferedDatum(namespace, datum));
        }
        size.addAndGet(datums.size());
    }

    /** Removes what is buffered now and groups it by namespace, in arrival order. */
    public Map<String, List<Datum>> drain() {
        Map<String, List<Datum>> byNamespace = new LinkedHashMap<>();
        int toTake = size.get();
        for (int taken = 0; taken < toTake; taken++) {
            BufferedDatum next = queue.poll();
            if (next == null) {
                break;
            }
            size.decrementAndGet();
            byNamespace.computeIfAbsent(next.namespace(), namespace -> new ArrayList<>()).add(next.datum());
        }
        return byNamespace;
    }

    /** How many datums are buffered. */
    public int size() {
        return size.get();
    }
}
