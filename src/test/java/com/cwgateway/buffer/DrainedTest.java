package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A drained table is handed out part by part and counted until settled; what a flush does not take goes back
 * whole, with no count left behind: bytes and samples return to what is really held.
 */
class DrainedTest {

    private static final long MINUTE = 1_772_366_400_000L;

    private static MetricBuffer buffer(boolean aggregation) {
        return aggregation ? new AggregatingBuffer(1L << 30) : new PassThroughBuffer(1L << 30);
    }

    /** Three namespaces: single values, distributions, statistic sets, and one series of 2000 distinct values. */
    private static List<PutMetricDataInput> data(String suffix) {
        List<PutMetricDataInput> batches = new ArrayList<>();
        for (String namespace : List.of("A", "B", "C")) {
            List<Datum> datums = new ArrayList<>();
            for (int series = 0; series < 40; series++) {
                List<Dimension> dimensions = List.of(new Dimension("host", "h" + series % 7 + suffix));
                String metric = "m" + series;
                datums.add(new Datum(metric, dimensions, new MetricValue.Single(series), "Count", null, MINUTE));
                datums.add(new Datum(metric, dimensions, new MetricValue.Single(series), "Count", null, MINUTE + 5));
                datums.add(new Datum(metric, dimensions, new MetricValue.Distribution(new double[] {1, 2, series},
                        new double[] {3, 1, 2}), "Count", null, MINUTE + 10));
                datums.add(new Datum(metric, dimensions, new MetricValue.Statistics(4, 10, 1, 4), "Count", null, MINUTE));
            }
            for (int value = 0; value < 2000; value++) {
                datums.add(new Datum("wide", List.of(), new MetricValue.Single(value * 0.5 - 300), null, 1, MINUTE + 1));
            }
            batches.add(new PutMetricDataInput(namespace, datums));
        }
        return batches;
    }

    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    void whatIsPutBackIsCountedOnceAndDrainedAgainAndNothingIsLeftOver(boolean aggregation) {
        MetricBuffer buffer = buffer(aggregation);
        List<PutMetricDataInput> data = data("");
        assertTrue(buffer.tryAdd(data));
        long held = buffer.bytes();
        long points = buffer.points();
        assertEquals(pointsOf(data), points);

        Drained drained = buffer.drain();
        assertEquals(held, buffer.bytes(), "a drained table stays counted");
        assertEquals(points, buffer.points());
        Taken first = drained.next(7);
        Taken second = drained.next(7);
        List<PutMetricDataInput> later = data("-later");
        assertTrue(buffer.tryAdd(later), "requests go on during a flush");
        long heldLater = buffer.bytes() - held;
        drained.settled(first);
        drained.settled(first);

        assertEquals(held + heldLater - first.bytes(), buffer.bytes(), "settling counts once");
        assertEquals(points + pointsOf(later) - first.points() - second.points(), buffer.points());
        drained.putBack();
        assertNull(drained.next(7), "all went back");
        assertEquals(points + pointsOf(later) - first.points() - second.points(), buffer.points());
        drained.settled(second);
        assertTrue(buffer.bytes() > heldLater && buffer.bytes() <= held + heldLater,
                "the put back is counted anew, no more than before: " + buffer.bytes() + " of " + held + " + " + heldLater);

        List<Taken> rest = drainAll(buffer, 50);
        assertEquals(0, buffer.bytes(), "no count is left behind");
        assertEquals(0, buffer.points());
        List<Taken> delivered = new ArrayList<>(List.of(first, second));
        delivered.addAll(rest);
        List<PutMetricDataInput> all = new ArrayList<>(data);
        all.addAll(later);
        assertEquals(contents(all), contents(delivered.stream()
                .map(taken -> new PutMetricDataInput(taken.namespace(), taken.datums())).toList()));
    }

    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    void partsHoldOneNamespaceAndAtMostTheDatumsAsked(boolean aggregation) {
        MetricBuffer buffer = buffer(aggregation);
        assertTrue(buffer.tryAdd(data("")));
        long held = buffer.bytes();

        List<Taken> parts = drainAll(buffer, 10);

        long bytes = 0;
        for (Taken part : parts) {
            assertTrue(part.datums().size() <= 10 && !part.datums().isEmpty(), part.toString());
            assertEquals(Datum.points(part.datums()), part.points());
            bytes += part.bytes();
        }
        assertTrue(bytes > 0 && bytes <= held, bytes + " of " + held);
        if (aggregation) {
            // 2000 distinct values of "wide": 14 datums of up to 150, in ascending order, over two parts.
            List<Double> wide = new ArrayList<>();
            for (Taken part : parts) {
                for (Datum datum : part.datums()) {
                    if (datum.metricName().equals("wide") && part.namespace().equals("B")) {
                        assertTrue(((MetricValue.Distribution) datum.value()).values().length <= 150);
                        for (double value : ((MetricValue.Distribution) datum.value()).values()) {
                            wide.add(value);
                        }
                    }
                }
            }
            assertEquals(2000, wide.size());
            for (int i = 0; i < wide.size(); i++) {
                assertEquals(i * 0.5 - 300, wide.get(i));
            }
            // A series' datums (its values, its statistic set) stay in one part when they fit.
            Map<String, Integer> partOfSeries = new TreeMap<>();
            for (int i = 0; i < parts.size(); i++) {
                for (Datum datum : parts.get(i).datums()) {
                    if (!datum.metricName().equals("wide")) {
                        String series = parts.get(i).namespace() + datum.metricName() + datum.dimensions();
                        Integer earlier = partOfSeries.putIfAbsent(series, i);
                        assertTrue(earlier == null || earlier == i, series + " is split over parts " + earlier + ", " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    void flushesThatStopHalfwayWhileRequestsGoOnLoseNothingAndLeaveNoCount(boolean aggregation) throws Exception {
        MetricBuffer buffer = buffer(aggregation);
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 3; client++) {
            String suffix = "-" + client;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int request = 0; request < 20; request++) {
                    assertTrue(buffer.tryAdd(data(suffix)));
                }
            }));
        }
        List<Taken> delivered = new ArrayList<>();
        while (clients.stream().anyMatch(Thread::isAlive)) {
            Drained drained = buffer.drain();
            for (int part = 0; part < 3; part++) {
                Taken taken = drained.next(100);
                if (taken != null) {
                    delivered.add(taken);
                    drained.settled(taken);
                }
            }
            drained.putBack();
        }
        for (Thread client : clients) {
            client.join();
        }
        delivered.addAll(drainAll(buffer, 1000));

        assertEquals(3 * 20 * pointsOf(data("")), delivered.stream().mapToLong(Taken::points).sum());
        assertEquals(0, buffer.bytes());
        assertEquals(0, buffer.points());
    }

    /**
     * Four clients add while a flusher, again and again, drains, publishes some parts (settles them), fails
     * others (requeues, then settles them) and puts the rest back. At the end every point added was delivered
     * exactly once, as the same values and counts per series and minute, and nothing is left counted. The
     * clients wait halfway until ten flushes have handed out parts, so adding and flushing surely interleave.
     */
    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(120)
    void manyClientsAndAFlusherThatFailsAndPutsBackLoseAndDuplicateNothing(boolean aggregation) throws Exception {
        MetricBuffer buffer = buffer(aggregation);
        List<PutMetricDataInput> added = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch halfway = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            String suffix = "-" + client;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int request = 0; request < 8; request++) {
                    if (request == 4) {
                        awaitUninterruptibly(halfway);
                    }
                    List<PutMetricDataInput> data = data(suffix + "-" + request % 3);
                    assertTrue(buffer.tryAdd(data));
                    added.addAll(data);
                }
            }));
        }
        Random random = new Random(5);
        List<Taken> delivered = new ArrayList<>();
        int flushesHandingOut = 0;
        int requeued = 0;
        while (clients.stream().anyMatch(Thread::isAlive)) {
            Drained drained = buffer.drain();
            boolean handedOut = false;
            for (int part = random.nextInt(6); part > 0; part--) {
                Taken taken = drained.next(1 + random.nextInt(300));
                if (taken == null) {
                    break;
                }
                handedOut = true;
                if (random.nextBoolean()) {
                    delivered.add(taken);
                } else {
                    buffer.requeue(taken.namespace(), taken.datums());
                    requeued++;
                }
                drained.settled(taken);
                assertTrue(buffer.bytes() >= 0 && buffer.points() >= 0, buffer.bytes() + " bytes");
            }
            drained.putBack();
            if (handedOut && ++flushesHandingOut == 10) {
                halfway.countDown();
            }
        }
        for (Thread client : clients) {
            client.join();
        }
        delivered.addAll(drainAll(buffer, 1000));

        assertEquals(4 * 8 * 3, added.size(), "every client added all its requests (a failed one ends its thread)");
        assertTrue(flushesHandingOut >= 10 && requeued > 0, flushesHandingOut + " flushes, " + requeued + " requeued");
        assertEquals(0, buffer.bytes(), "no count is left behind");
        assertEquals(0, buffer.points());
        assertEquals(pointsOf(added), delivered.stream().mapToLong(Taken::points).sum());
        assertEquals(contents(added), contents(delivered.stream()
                .map(taken -> new PutMetricDataInput(taken.namespace(), taken.datums())).toList()));
    }

    /**
     * A failed flush puts back a table as large as the buffer: while it moves, a watcher reading the budget
     * never sees it counted twice (which would refuse requests the buffer has room for). One new series per
     * datum with aggregation; one series of distinct values without. (Without aggregation, strings that datums
     * share stay counted in both until the move ends; here there are none.)
     */
    /**
     * A flood of new series whose shared names arrive as several equal string objects, as the reader makes them
     * (its table of recent strings lets a name go under a flood of new values, and makes it anew): a failed flush
     * puts the table back in the table's own order, and a spool carry moves it through the buffer part by part;
     * neither may count the shared names once per series (the estimate rose 27% so, and the buffer refused requests
     * at four fifths of its budget). A few per cent is the identity table's own error: a slot another object took
     * is counted again.
     */
    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(60)
    void aFloodOfNewSeriesIsCountedTheSameAfterAFailedFlushAndACarry(boolean aggregation) {
        MetricBuffer buffer = buffer(aggregation);
        for (int request = 0; request < 100; request++) {
            String metric = new String("series");
            String unit = new String("Count");
            String name = new String("Id");
            List<Datum> datums = new ArrayList<>();
            for (int k = 0; k < 1000; k++) {
                datums.add(new Datum(metric, List.of(new Dimension(name, "s" + (request * 1000 + k))),
                        new MetricValue.Single(k), unit, null, MINUTE));
            }
            assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("Card", datums))));
        }
        long admitted = buffer.bytes();

        Drained failedFlush = buffer.drain();
        Taken part = failedFlush.next(1000);
        buffer.requeue(part.namespace(), part.datums());
        failedFlush.settled(part);
        failedFlush.putBack();
        long afterFlush = buffer.bytes();

        Drained carry = buffer.drain();
        for (Taken carried = carry.next(1000); carried != null; carried = carry.next(1000)) {
            buffer.requeue(carried.namespace(), carried.datums());
            carry.settled(carried);
        }
        long afterCarry = buffer.bytes();

        assertTrue(Math.abs(afterFlush - admitted) <= admitted / 20, admitted + " admitted, " + afterFlush
                + " after a failed flush");
        assertTrue(Math.abs(afterCarry - admitted) <= admitted / 20, admitted + " admitted, " + afterCarry
                + " after a carry");
        assertEquals(100_000, buffer.points());
    }

    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    @Timeout(60)
    void aTablePutBackIsNeverCountedTwiceWhileItMoves(boolean aggregation) throws Exception {
        MetricBuffer buffer = buffer(aggregation);
        List<Dimension> oneHost = List.of(new Dimension("host", "h"));
        for (int request = 0; request < 100; request++) {
            List<Datum> datums = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                int n = request * 1000 + i;
                List<Dimension> dimensions = aggregation ? List.of(new Dimension("host", "h" + n)) : oneHost;
                datums.add(new Datum("m", dimensions, new MetricValue.Single(n), "Count", null, MINUTE));
            }
            assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("A", datums))));
        }
        Drained drained = buffer.drain();
        Taken first = drained.next(10);
        long held = buffer.bytes();
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicLong most = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        CountDownLatch watching = new CountDownLatch(1);
        Thread watcher = Thread.ofPlatform().start(() -> {
            do { // reads once before the move starts, then as often as it can while it lasts
                most.accumulateAndGet(buffer.bytes(), Math::max);
                reads.incrementAndGet();
                watching.countDown();
            } while (moving.get());
        });
        watching.await();
        drained.putBack();
        moving.set(false);
        watcher.join();

        assertTrue(reads.get() > 0);
        // The string cache is lossy (a slot per identity hash): a name every key shares is counted again after
        // another object took its slot, so a table put back in another order can count it a few times more (a
        // few hundred bytes; CI saw it once). Counting entries twice would be ~500 B a series: 50 MB here.
        long cacheNoise = held / 1000;
        // What may count twice for a moment: the live table's array, grown while the drained one's still counts.
        long tableArray = HeapEstimate.mapTable(100_000) + 1024;
        assertTrue(most.get() <= held + tableArray + cacheNoise,
                "at most " + most.get() + " counted of " + held + " held");
        drained.settled(first);
        assertEquals(100_000 - first.points(), buffer.points());
        assertTrue(buffer.bytes() <= held - first.bytes() + cacheNoise, buffer.bytes() + " of " + held);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Takes and settles every part of a drain. */
    private static List<Taken> drainAll(MetricBuffer buffer, int maxDatums) {
        Drained drained = buffer.drain();
        List<Taken> parts = new ArrayList<>();
        for (Taken part = drained.next(maxDatums); part != null; part = drained.next(maxDatums)) {
            parts.add(part);
            drained.settled(part);
        }
        return parts;
    }

    private static long pointsOf(List<PutMetricDataInput> batches) {
        return batches.stream().mapToLong(batch -> Datum.points(batch.datums())).sum();
    }

    /**
     * What CloudWatch would aggregate: per namespace, series and minute, every value with its count, and the
     * statistic sets' sample counts and sums.
     */
    private static Map<String, TreeMap<Double, Double>> contents(List<PutMetricDataInput> batches) {
        Map<String, TreeMap<Double, Double>> contents = new TreeMap<>();
        for (PutMetricDataInput batch : batches) {
            for (Datum datum : batch.datums()) {
                String series = batch.namespace() + "|" + datum.metricName() + "|" + datum.dimensions() + "|"
                        + datum.unit() + "|" + datum.storageResolution() + "|" + datum.timestampMillis() / 60_000;
                TreeMap<Double, Double> values = contents.computeIfAbsent(series, key -> new TreeMap<>());
                switch (datum.value()) {
                    case MetricValue.Single single -> values.merge(single.value(), 1.0, Double::sum);
                    case MetricValue.Distribution distribution -> {
                        for (int i = 0; i < distribution.values().length; i++) {
                            values.merge(distribution.values()[i], distribution.counts()[i], Double::sum);
                        }
                    }
                    case MetricValue.Statistics statistics -> {
                        values.merge(Double.NEGATIVE_INFINITY, statistics.sampleCount(), Double::sum);
                        values.merge(Double.POSITIVE_INFINITY, statistics.sum(), Double::sum);
                    }
                }
            }
        }
        return contents;
    }
}
