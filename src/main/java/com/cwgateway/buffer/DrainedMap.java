package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A drained buffer already turned into datums by namespace. */
final class DrainedMap implements Drained {

    private final MetricBuffer buffer;
    private final Iterator<Map.Entry<String, List<Datum>>> namespaces;
    private String namespace;
    private List<Datum> datums = List.of();
    private int next;

    DrainedMap(MetricBuffer buffer, Map<String, List<Datum>> byNamespace) {
        this.buffer = buffer;
        this.namespaces = byNamespace.entrySet().iterator();
    }

    @Override
    public synchronized Taken next(int maxDatums) {
        while (next == datums.size()) {
            if (!namespaces.hasNext()) {
                return null;
            }
            Map.Entry<String, List<Datum>> entry = namespaces.next();
            namespace = entry.getKey();
            datums = entry.getValue();
            next = 0;
        }
        int to = (int) Math.min(datums.size(), (long) next + maxDatums);
        List<Datum> part = new ArrayList<>(datums.subList(next, to));
        next = to;
        return new Taken(namespace, part, Datum.samples(part), 0);
    }

    @Override
    public void settled(Taken taken) {}

    @Override
    public synchronized void putBack() {
        Taken rest;
        while ((rest = next(Integer.MAX_VALUE)) != null) {
            buffer.requeue(rest.namespace(), rest.datums());
        }
    }
}
