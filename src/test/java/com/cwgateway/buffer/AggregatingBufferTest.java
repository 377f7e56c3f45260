package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The buffer with aggregation on: points of one series and period merge into one datum, every other key stays
 * apart, and reservations, drains and requeues leave the budget and the points counting exactly what is held.
 */
class AggregatingBufferTest {

    private static final long MINUTE = 1_772_366_400_000L;
    private static final List<Dimension> HOST = List.of(new Dimension("host", "a"));

    private static Datum single(String name, double value, long timestamp) {
        return new Datum(name, HOST, new MetricValue.Single(value), "Count", null, timestamp);
    }

    private static List<PutMetricDataInput> request(String namespace, Datum... datums) {
        return List.of(new PutMetricDataInput(namespace, List.of(datums)));
    }

    /** Hands out everything {@code drained} holds, settling each part as it comes. */
    private static List<Taken> handOut(Drained drained) {
        List<Taken> parts = new ArrayList<>();
        for (Taken part = drained.next(100); part != null; part = drained.next(100)) {
            parts.add(part);
            drained.settled(part);
        }
        return parts;
    }

    /** Series m of minute MINUTE, merged into a datum of its values, with 4 points, then its statistic set's 2. */
    private static void assertMerged(Taken part, double[] values, double[] counts, MetricValue statistics) {
        assertEquals(2, part.datums().size(), "one datum of values, one statistic set: " + part);
        assertArrayEquals(values, ((MetricValue.Distribution) part.datums().get(0).value()).values());
        assertArrayEquals(counts, ((MetricValue.Distribution) part.datums().get(0).value()).counts());
        assertEquals(statistics, part.datums().get(1).value());
        assertEquals(List.of(MINUTE, MINUTE), part.datums().stream().map(Datum::timestampMillis).toList(),
                "stamped at the start of its minute");
        assertEquals(List.of(4L, 2L), part.datums().stream().map(Datum::points).toList());
    }

    @Test
    void pointsOfOneSeriesInOnePeriodMergeIntoOneDatumStampedAtItsStart() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 20);
        assertTrue(buffer.tryAdd(request("A", single("m", 3, MINUTE + 1_000), single("m", 1, MINUTE + 59_999))));
        assertTrue(buffer.tryAdd(request("A",
                new Datum("m", HOST, new MetricValue.Distribution(new double[] {3, 7}, new double[] {2, 1}), "Count",
                        null, MINUTE + 30_000),
                new Datum("m", HOST, new MetricValue.Statistics(2, 10, 4, 6), "Count", null, MINUTE + 10),
                new Datum("m", HOST, new MetricValue.Statistics(3, 3, 0.5, 2), "Count", null, MINUTE + 20_000))));

        List<Taken> parts = handOut(buffer.drain());
        assertEquals(1, parts.size());
        assertMerged(parts.getFirst(), new double[] {1, 3, 7}, new double[] {1, 3, 1},
                new MetricValue.Statistics(5, 13, 0.5, 6));
    }

    /** What CloudWatch aggregates together, as a comparable key. */
    private static List<Object> key(String ns, Datum d) {
        return Arrays.asList(ns, d.metricName(), d.dimensions(), d.unit(), d.storageResolution(), d.timestampMillis());
    }

    @Test
    void anotherUnitResolutionPeriodDimensionSetOrNamespaceIsAnotherSeries() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 20);
        MetricValue one = new MetricValue.Single(1);
        List<Datum> apart = List.of( // each stamped at the start of its period
                new Datum("m", HOST, one, "Count", 60, MINUTE),
                new Datum("m", HOST, one, "Seconds", 60, MINUTE),
                new Datum("m", HOST, one, null, 60, MINUTE),
                new Datum("m", HOST, one, "Count", 1, MINUTE + 5_000),
                new Datum("m", HOST, one, "Count", 1, MINUTE + 6_000),
                new Datum("m", HOST, one, "Count", 60, MINUTE + 60_000),
                new Datum("m", List.of(new Dimension("host", "b")), one, "Count", 60, MINUTE),
                new Datum("m", List.of(new Dimension("az", "z"), new Dimension("host", "a")), one, "Count", 60, MINUTE),
                new Datum("m", List.of(), one, "Count", 60, MINUTE),
                new Datum("n", HOST, one, "Count", 60, MINUTE));
        List<Datum> merging = List.of(
                new Datum("m", HOST, one, "Count", 60, MINUTE + 59_999), // the first's minute
                new Datum("m", List.of(new Dimension("host", "a")), one, "Count", 60, MINUTE), // an equal list
                new Datum("m", HOST, one, "Count", 1, MINUTE + 5_999)); // the fourth's second
        assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("A", apart), new PutMetricDataInput("A", merging),
                new PutMetricDataInput("B", List.of(apart.getFirst())))));
        Map<List<Object>, Long> points = new HashMap<>();
        for (Taken part : handOut(buffer.drain())) {
            for (Datum d : part.datums()) {
                assertNull(points.put(key(part.namespace(), d), d.points()), "one datum a series and period: " + d);
            }
        }
        Map<List<Object>, Long> expected = new HashMap<>();
        apart.forEach(d -> expected.put(key("A", d), 1L));
        expected.putAll(Map.of(key("A", apart.get(0)), 3L, key("A", apart.get(3)), 2L, key("B", apart.get(0)), 1L));
        assertEquals(expected, points);
    }

    @Test
    void aClosedReservationLeavesNothingAndACommittedOneCountsWhatItAdded() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 20);
        List<PutMetricDataInput> request = List.of(new PutMetricDataInput("A",
                List.of(new Datum("m", List.of(), new MetricValue.Single(1), null, null, MINUTE))));
        MetricBuffer.Reservation closed = buffer.reserve(request);
        assertTrue(buffer.bytes() > 0, "reserved");
        assertEquals(0, buffer.points(), "nothing is added before a commit");
        closed.close();
        assertEquals(0, buffer.bytes());
        assertNull(buffer.drain().next(10), "no namespace or series was made");
        buffer.reserve(request).commit();
        long namespace = HeapEstimate.NAMESPACE + HeapEstimate.string("A") + HeapEstimate.mapTable(1);
        long series = HeapEstimate.SERIES_KEY + HeapEstimate.MAP_NODE + HeapEstimate.string("m")
                + HeapEstimate.mapTable(1) + HeapEstimate.ACCUMULATOR + HeapEstimate.valueCounts(8, false);
        assertEquals(namespace + series, buffer.bytes(), "the namespace, the series and its first table of values");
        assertEquals(1, buffer.points());
    }

    @Test
    void aRequestPastTheBudgetIsRefusedWholeAndLeavesNothingBehind() {
        List<PutMetricDataInput> first = request("A", single("m", 1, MINUTE), single("m", 2, MINUTE));
        AggregatingBuffer probe = new AggregatingBuffer(1L << 20);
        MetricBuffer.Reservation reservation = probe.reserve(first);
        AggregatingBuffer buffer = new AggregatingBuffer(probe.bytes());
        reservation.close();
        assertTrue(buffer.tryAdd(first), "exactly the room its reservation needs");
        long held = buffer.bytes();
        assertNull(buffer.reserve(List.of(new PutMetricDataInput("A", List.of(single("m", 3, MINUTE))),
                new PutMetricDataInput("B", List.of(single("m", 1, MINUTE))))), "A's datum fits, B's namespace not");
        assertEquals(held, buffer.bytes(), "a refused request leaves nothing counted");
        assertEquals(2, buffer.points());
        assertTrue(buffer.tryAdd(request("A", single("m", 3, MINUTE))), "A's datum alone fits");
        buffer.requeue("B", List.of(single("m", 1, MINUTE), single("n", 2, MINUTE)));
        assertTrue(buffer.bytes() > buffer.maxBytes(), "data coming back is never refused");
        assertEquals(3 + 2, handOut(buffer.drain()).stream().mapToLong(Taken::points).sum()); // no lock held
    }

    @Test
    void aDrainTakesEverythingAndTheLiveBufferStartsEmpty() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 20);
        assertTrue(buffer.tryAdd(List.of(
                new PutMetricDataInput("A", List.of(single("m", 1, MINUTE), single("n", 5, MINUTE))),
                new PutMetricDataInput("B", List.of(single("m", 1, MINUTE))))));
        Drained drained = buffer.drain();
        assertNull(buffer.drain().next(100), "the live table is empty");
        List<PutMetricDataInput> later = request("A", single("m", 9, MINUTE));
        assertTrue(buffer.tryAdd(later));
        List<Taken> parts = handOut(drained);
        assertEquals(List.of("A", "B"), parts.stream().map(Taken::namespace).sorted().toList());
        assertEquals(3, parts.stream().mapToLong(p -> p.datums().size()).sum(), "A's m, A's n and B's m");
        AggregatingBuffer alone = new AggregatingBuffer(1L << 20);
        assertTrue(alone.tryAdd(later));
        assertEquals(alone.bytes(), buffer.bytes(), "only the later point is left counted");
        assertEquals(List.of(single("m", 9, MINUTE)), handOut(buffer.drain()).getFirst().datums());
    }

    @Test
    void requeuedDatumsMergeWithNewPointsAtTheNextDrain() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 20);
        assertTrue(buffer.tryAdd(request("A", single("m", 1, MINUTE + 1_000), single("m", 2, MINUTE + 2_000),
                new Datum("m", HOST, new MetricValue.Statistics(2, 4, 1, 3), "Count", null, MINUTE + 3_000))));
        Drained drained = buffer.drain();
        Taken failed = drained.next(10);
        assertNull(drained.next(10));
        buffer.requeue(failed.namespace(), failed.datums());
        drained.settled(failed);

        assertTrue(buffer.tryAdd(request("A", single("m", 2, MINUTE + 40_000), single("m", 5, MINUTE + 50_000),
                new Datum("m", HOST, new MetricValue.Statistics(1, 7, 7, 7), "Count", null, MINUTE + 59_000))));
        List<Taken> parts = handOut(buffer.drain());
        assertEquals(1, parts.size());
        assertMerged(parts.getFirst(), new double[] {1, 2, 5}, new double[] {1, 2, 1},
                new MetricValue.Statistics(3, 11, 1, 7));
        assertEquals(0, buffer.bytes());
    }

    /**
     * Clients add while a flusher delivers, requeues, puts back: added <= delivered + held <= started.
     */
    @Test
    @Timeout(60)
    void concurrentAddersAndADrainerKeepEveryPointAndLeaveNoBytes() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 30);
        AtomicLong started = new AtomicLong();
        AtomicLong added = new AtomicLong();
        Semaphore halfway = new Semaphore(0);
        int clients = 4;
        int requests = 400;
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            List<Dimension> host = List.of(new Dimension("host", "h" + client));
            String namespace = "ns" + client % 2;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                for (int i = 0; i < requests; i++) {
                    if (i == requests / 2) {
                        halfway.acquireUninterruptibly(); // ten flushes first, so both surely interleave
                    }
                    long timestamp = MINUTE + i * 1_000L; // over seven minutes
                    MetricValue values = new MetricValue.Distribution(new double[] {i, -i - 1}, null);
                    started.addAndGet(3);
                    if (!buffer.tryAdd(request(namespace, new Datum("wide", host, values, null, 1, timestamp),
                            new Datum("m", host, new MetricValue.Single(i % 10), null, null, timestamp)))) {
                        return; // refused: the points added tell
                    }
                    added.addAndGet(3);
                }
            }));
        }
        long delivered = 0;
        for (int flushes = 1; threads.stream().anyMatch(Thread::isAlive); flushes++) {
            long addedBefore = added.get();
            Drained drained = buffer.drain();
            Taken part;
            for (int p = flushes % 5; p > 0 && (part = drained.next(1 + flushes * p % 20)) != null; p--) {
                if (p % 2 == 0) {
                    delivered += part.points();
                } else {
                    buffer.requeue(part.namespace(), part.datums());
                }
                drained.settled(part);
            }
            drained.putBack();
            long held = delivered + buffer.points();
            assertTrue(addedBefore <= held && held <= started.get(), addedBefore + " <= " + held + " <= " + started);
            if (flushes == 10) {
                halfway.release(clients);
            }
        }
        delivered += handOut(buffer.drain()).stream().mapToLong(Taken::points).sum();

        assertEquals(clients * requests * 3, added.get(), "no request was refused");
        assertEquals(added.get(), delivered, "every point delivered once");
        assertEquals(0, buffer.points());
        assertEquals(0, buffer.bytes(), "no count is left behind");
    }
}
