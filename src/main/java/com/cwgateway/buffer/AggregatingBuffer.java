package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The buffer with aggregation on (the default): points of one series in one period merge as they arrive
 * ({@link SeriesAccumulator}), so memory grows with series and distinct values, not with requests. A table per
 * namespace, handed out after a drain part by part, each series sorted where it lies: nothing the size of the
 * whole table is made at once.
 */
public final class AggregatingBuffer extends SwappedBuffer<AggregatingBuffer.Series> {

    /** One namespace's series, with how many it holds (the size of its map's array follows from it). */
    static final class Series {
        final String namespace;
        final ConcurrentHashMap<SeriesPeriod, SeriesAccumulator> table = new ConcurrentHashMap<>();
        final AtomicLong size = new AtomicLong();

        Series(String namespace) {
            this.namespace = namespace;
        }
    }

    /**
     * Within a part, by metric name, then time, so what is published is easy to read; the stable sort keeps
     * each series' values ascending. There is no order across parts: sorting the whole table would take memory.
     */
    private static final Comparator<Datum> PUBLISHING_ORDER =
            Comparator.comparing(Datum::metricName).thenComparingLong(Datum::timestampMillis);

    public AggregatingBuffer(long maxBytes) {
        super(maxBytes);
    }

    /**
     * Looks each datum's series up first, so a known series reserves only values and a new one its key and
     * strings too; the series found are kept for adding, so each is looked up once.
     */
    @Override
    public Reservation reserve(List<PutMetricDataInput> inputs) {
        swap.readLock().lock();
        boolean reserved = false;
        try {
            Generation<Series> generation = live;
            SeriesAccumulator[][] found = new SeriesAccumulator[inputs.size()][];
            long bytes = 0;
            for (int b = 0; b < inputs.size(); b++) {
                PutMetricDataInput input = inputs.get(b);
                Series series = generation.namespaces.get(input.namespace());
                bytes += generation.namespaceAtMost(input.namespace());
                found[b] = new SeriesAccumulator[input.datums().size()];
                for (int d = 0; d < found[b].length; d++) {
                    Datum datum = input.datums().get(d);
                    SeriesAccumulator accumulator = series == null ? null
                            : series.table.get(new SeriesPeriod(series.namespace, datum));
                    found[b][d] = accumulator;
                    bytes += (long) HeapEstimate.values(datum.value()) * HeapEstimate.RESERVED_PER_VALUE
                            + (accumulator != null ? 0 : HeapEstimate.NEW_SERIES + generation.stringsAtMost(datum));
                }
            }
            if (!budget.tryReserve(bytes)) {
                return null;
            }
            reserved = true;
            return reservation(bytes, () -> {
                for (int b = 0; b < inputs.size(); b++) {
                    merge(generation, inputs.get(b).namespace(), inputs.get(b).datums(), found[b]);
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
        addToLive(generation -> merge(generation, namespace, datums, null));
    }

    /** Adds the datums, using the series in {@code found} where not null; counts what they add. */
    private void merge(Generation<Series> generation, String namespace, List<Datum> datums, SeriesAccumulator[] found) {
        Series series = generation.namespace(namespace, Series::new);
        long added = 0;
        long points = 0;
        for (int d = 0; d < datums.size(); d++) {
            Datum datum = datums.get(d);
            SeriesAccumulator accumulator = found == null ? null : found[d];
            SeriesPeriod key = null;
            if (accumulator == null) {
                key = new SeriesPeriod(series.namespace, datum);
                accumulator = series.table.get(key);
            }
            if (accumulator == null) {
                SeriesAccumulator made = new SeriesAccumulator();
                accumulator = series.table.putIfAbsent(key, made);
                if (accumulator == null) {
                    accumulator = made;
                    added += HeapEstimate.ACCUMULATOR + newKey(generation, series, key);
                }
            }
            added += accumulator.add(datum);
            points += datum.points();
        }
        generation.count(added, points);
    }

    /** Counts a key just put in {@code series} (key, node, new strings, the map's growth); the key keeps its share. */
    private static long newKey(Generation<Series> generation, Series series, SeriesPeriod key) {
        long count = series.size.incrementAndGet();
        long bytes = HeapEstimate.SERIES_KEY + HeapEstimate.MAP_NODE + generation.strings(key.metricName(), key.unit(),
                key.dimensions());
        key.bytes((int) bytes);
        return bytes + HeapEstimate.mapTable(count) - HeapEstimate.mapTable(count - 1);
    }

    /** Puts a drained series, or what of it is not handed out yet, back into {@code generation}. */
    private static void putBackSeries(Generation<Series> generation, String namespace, SeriesPeriod key,
                                      SeriesAccumulator drained) {
        Series series = generation.namespace(namespace, Series::new);
        long added = 0;
        long[] points = {0};
        SeriesAccumulator accumulator = series.table.get(key);
        if (accumulator == null) {
            boolean whole = drained.untouched();
            SeriesAccumulator made = whole ? drained : new SeriesAccumulator();
            accumulator = series.table.putIfAbsent(key, made);
            if (accumulator == null) {
                added += newKey(generation, series, key);
                if (whole) {
                    generation.count(added + drained.bytes(), drained.points());
                    return;
                }
                added += HeapEstimate.ACCUMULATOR;
                accumulator = made;
            }
        }
        added += accumulator.addRestOf(drained, points);
        generation.count(added, points[0]);
    }

    @Override
    Drained parts(Generation<Series> taken) {
        return new Parts(taken);
    }

    /** A drained table, handed out series by series, each whole in one part when it fits; a part is one namespace. */
    private final class Parts extends Drained {
        private Iterator<Series> namespaces;
        private Series series;
        private Iterator<Map.Entry<SeriesPeriod, SeriesAccumulator>> entries;
        /** The series being handed out: partly handed out, or left for the next part, which it did not fit. */
        private SeriesPeriod key;
        private SeriesAccumulator accumulator;

        Parts(Generation<Series> taken) {
            super(budget, drains, taken);
            this.namespaces = taken.namespaces.values().iterator();
        }

        @Override
        Taken take(int maxDatums) {
            List<Datum> datums = new ArrayList<>();
            long points = 0;
            long bytes = 0;
            while (datums.size() < maxDatums && (accumulator != null || nextSeries(!datums.isEmpty()))) {
                int room = maxDatums - datums.size();
                if (accumulator.datumsLeft() > room && !datums.isEmpty()) {
                    break;
                }
                points += accumulator.takeDatums(key, room, datums);
                if (accumulator.datumsLeft() == 0) {
                    bytes += key.bytes() + accumulator.bytes();
                    key = null;
                    accumulator = null;
                }
            }
            if (datums.isEmpty()) {
                return null;
            }
            datums.sort(PUBLISHING_ORDER);
            return new Taken(series.namespace, datums, points, bytes);
        }

        /** Takes the next series out of the table, of this namespace if {@code sameNamespace}; false if none. */
        private boolean nextSeries(boolean sameNamespace) {
            while (entries == null || !entries.hasNext()) {
                if (sameNamespace || !namespaces.hasNext()) {
                    return false;
                }
                series = namespaces.next();
                entries = series.table.entrySet().iterator();
            }
            Map.Entry<SeriesPeriod, SeriesAccumulator> entry = entries.next();
            entries.remove();
            key = entry.getKey();
            accumulator = entry.getValue();
            return true;
        }

        @Override
        void putBackRest() {
            if (accumulator != null) {
                moveBack();
            }
            while (nextSeries(false)) {
                moveBack();
            }
        }

        /** The series being handed out goes back whole, or what is left of it; its bytes with it. */
        private void moveBack() {
            movingBack(key.bytes() + accumulator.bytes());
            addToLive(generation -> putBackSeries(generation, series.namespace, key, accumulator));
        }

        @Override
        void forget() {
            namespaces = null;
            entries = null;
            key = null;
            accumulator = null;
        }
    }
}
