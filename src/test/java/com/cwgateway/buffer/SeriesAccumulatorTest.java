package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One series in one period, merged without loss: values into distinct values with counts, statistic sets into
 * one, both handed out as datums stamped with the period's start, in parts, and what is not handed out merged
 * back elsewhere with its points.
 */
@Timeout(60)
class SeriesAccumulatorTest {

    private static final long MINUTE = 1_772_366_400_000L;
    private static final List<Dimension> HOST = List.of(new Dimension("host", "a"));
    private static final SeriesPeriod KEY = new SeriesPeriod("App", datum(new MetricValue.Single(0), MINUTE + 42_000));

    private static Datum datum(MetricValue value, long timestamp) {
        return new Datum("latency", HOST, value, "Milliseconds", null, timestamp);
    }

    private static Datum single(double value) {
        return datum(new MetricValue.Single(value), MINUTE + 1_000);
    }

    private static List<Datum> takeAll(SeriesAccumulator accumulator, int max) {
        List<Datum> datums = new ArrayList<>();
        accumulator.takeDatums(KEY, max, datums);
        return datums;
    }

    @Test
    void singleValuesAndValuesWithCountsMergeIntoDistinctValuesWithTheirCounts() {
        SeriesAccumulator accumulator = new SeriesAccumulator();
        for (double value : new double[] {3, 1, 3, -0.0, 0}) {
            accumulator.add(single(value));
        }
        accumulator.add(datum(new MetricValue.Distribution(new double[] {1, 7}, new double[] {2.5, 1}), MINUTE));
        accumulator.add(datum(new MetricValue.Distribution(new double[] {7}, null), MINUTE + 59_999));
        assertEquals(8, accumulator.points(), "five singles, two values, one value");

        List<Datum> datums = takeAll(accumulator, 10);

        assertEquals(1, datums.size());
        Datum merged = datums.getFirst();
        MetricValue.Distribution values = (MetricValue.Distribution) merged.value();
        assertArrayEquals(new double[] {0, 1, 3, 7}, values.values(), "ascending, -0 and 0 as one");
        assertArrayEquals(new double[] {2, 3.5, 2, 2}, values.counts());
        assertEquals(8, merged.points());
        assertEquals(new Datum("latency", HOST, merged.value(), "Milliseconds", null, MINUTE, 8), merged,
                "the series' name, dimensions and unit, stamped with the start of the minute");
    }

    @Test
    void aLoneValueSeenOnceIsAPlainValueAndSeenTwiceKeepsItsCount() {
        SeriesAccumulator once = new SeriesAccumulator();
        once.add(single(4));
        SeriesAccumulator twice = new SeriesAccumulator();
        twice.add(single(4));
        twice.add(single(4));

        assertEquals(new MetricValue.Single(4), takeAll(once, 1).getFirst().value());
        MetricValue.Distribution two = (MetricValue.Distribution) takeAll(twice, 1).getFirst().value();
        assertArrayEquals(new double[] {4}, two.values());
        assertArrayEquals(new double[] {2}, two.counts());
    }

    @Test
    void statisticSetsMergeIntoOneKeptApartFromValues() {
        SeriesAccumulator accumulator = new SeriesAccumulator();
        accumulator.add(datum(new MetricValue.Statistics(2, 10, 4, 6), MINUTE));
        accumulator.add(single(100));
        accumulator.add(datum(new MetricValue.Statistics(3, 3, -1, 2), MINUTE));
        accumulator.add(datum(new MetricValue.Statistics(1, 9, 9, 9), MINUTE));
        assertEquals(2, accumulator.datumsLeft());

        List<Datum> datums = takeAll(accumulator, 10);

        assertEquals(List.of(new MetricValue.Single(100), new MetricValue.Statistics(6, 22, -1, 9)),
                datums.stream().map(Datum::value).toList(), "values first, then the one statistic set");
        assertEquals(List.of(1L, 3L), datums.stream().map(Datum::points).toList());
        assertEquals(0, accumulator.datumsLeft());
    }

    @Test
    void manyDistinctValuesAreHandedOutAtMost150ADatumAndAtMostTheDatumsAsked() {
        SeriesAccumulator accumulator = new SeriesAccumulator();
        for (int i = 399; i >= 0; i--) {
            accumulator.add(single(i));
        }
        accumulator.add(datum(new MetricValue.Statistics(1, 1, 1, 1), MINUTE));
        assertEquals(4, accumulator.datumsLeft(), "150 + 150 + 100 values, and the statistic set");
        assertTrue(accumulator.untouched());

        List<Datum> first = takeAll(accumulator, 2);

        assertEquals(2, first.size());
        assertFalse(accumulator.untouched());
        assertEquals(2, accumulator.datumsLeft());
        List<Datum> rest = takeAll(accumulator, 10);
        List<Datum> all = new ArrayList<>(first);
        all.addAll(rest);
        assertEquals(List.of(150, 150, 100), all.subList(0, 3).stream()
                .map(d -> ((MetricValue.Distribution) d.value()).values().length).toList());
        double expected = 0;
        for (Datum datum : all.subList(0, 3)) {
            for (double value : ((MetricValue.Distribution) datum.value()).values()) {
                assertEquals(expected++, value);
            }
        }
        assertEquals(401, Datum.points(all));
        assertEquals(0, accumulator.datumsLeft());
        assertEquals(List.of(), takeAll(accumulator, 10), "nothing is handed out twice");
    }

    /** A datum put back after a failed publish carries the points merged into it, whatever its counts. */
    @Test
    void aRequeuedDatumsPointsGoToItsValuesExactly() {
        SeriesAccumulator whole = new SeriesAccumulator();
        SeriesAccumulator fractional = new SeriesAccumulator();
        for (int i = 0; i < 149; i++) {
            whole.add(single(i));
            fractional.add(single(i));
        }
        // Whole counts that add up to the points: each value's count is its points (3 and 2).
        whole.add(new Datum("latency", HOST, new MetricValue.Distribution(new double[] {1000, 2000},
                new double[] {3, 2}), "Milliseconds", null, MINUTE, 5));
        // Counts that do not: each value one point, the smallest the rest (4 and 1).
        fractional.add(new Datum("latency", HOST, new MetricValue.Distribution(new double[] {1000, 2000},
                new double[] {0.5, 2.5}), "Milliseconds", null, MINUTE, 5));

        // The first datum takes the 150 smallest values: 0..148 and 1000.
        assertEquals(List.of(152L, 2L), takeAll(whole, 10).stream().map(Datum::points).toList());
        assertEquals(List.of(153L, 1L), takeAll(fractional, 10).stream().map(Datum::points).toList());
    }

    @Test
    void whatIsNotHandedOutMergesIntoAnotherWithItsPoints() {
        SeriesAccumulator drained = new SeriesAccumulator();
        for (int i = 0; i < 200; i++) {
            drained.add(single(i));
        }
        drained.add(datum(new MetricValue.Statistics(2, 4, 1, 3), MINUTE));
        takeAll(drained, 1); // values 0..149 are published
        SeriesAccumulator live = new SeriesAccumulator();
        live.add(single(199));
        live.add(datum(new MetricValue.Statistics(1, 10, 10, 10), MINUTE));

        long[] points = {0};
        long grown = live.addRestOf(drained, points);

        assertEquals(50 + 1, points[0], "values 150..199 and the statistic set");
        assertEquals(2 + 51, live.points());
        assertEquals(live.bytes() - HeapEstimate.ACCUMULATOR - HeapEstimate.valueCounts(8, false), grown,
                "grown from its first table");
        List<Datum> datums = takeAll(live, 10);
        MetricValue.Distribution values = (MetricValue.Distribution) datums.getFirst().value();
        assertEquals(50, values.values().length);
        assertEquals(150, values.values()[0]);
        assertEquals(2, values.counts()[49], "199 from both");
        assertEquals(new MetricValue.Statistics(3, 14, 1, 10), datums.get(1).value());
    }

    @Test
    void addReturnsTheBytesItAddedAndNothingForAKnownValue() {
        SeriesAccumulator accumulator = new SeriesAccumulator();
        long added = 0;
        for (int i = 0; i < 100; i++) {
            added += accumulator.add(single(i));
        }
        assertEquals(accumulator.bytes(), HeapEstimate.ACCUMULATOR + added);
        assertEquals(0, accumulator.add(single(5)), "a value already held adds a count, not a slot");
        assertEquals(0, accumulator.add(datum(new MetricValue.Statistics(1, 1, 1, 1), MINUTE)));
    }

    /**
     * Requests add to a live accumulator while a failed flush merges drained ones into it (as a put back does):
     * every value, count and point arrives once.
     */
    @Test
    void concurrentAddsAndMergesLoseNoCountAndNoPoint() throws Exception {
        SeriesAccumulator live = new SeriesAccumulator();
        int threads = 4;
        int adds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            writers.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < adds; i++) {
                    live.add(i % 2 == 0 ? single(i % 500) : datum(new MetricValue.Statistics(1, 2, -1, 3), MINUTE));
                }
            }));
        }
        long merged = 0;
        int rounds = 0;
        start.countDown();
        for (; rounds < 200 || writers.stream().anyMatch(Thread::isAlive); rounds++) {
            SeriesAccumulator drained = new SeriesAccumulator();
            drained.add(single(rounds % 500));
            drained.add(datum(new MetricValue.Statistics(1, 2, -1, 3), MINUTE));
            long[] points = {0};
            live.addRestOf(drained, points);
            merged += points[0];
        }
        for (Thread writer : writers) {
            writer.join();
        }

        assertEquals(2L * rounds, merged);
        assertEquals((long) threads * adds + merged, live.points());
        List<Datum> datums = takeAll(live, 10);
        double counts = 0;
        for (Datum datum : datums.subList(0, datums.size() - 1)) {
            for (double count : ((MetricValue.Distribution) datum.value()).counts()) {
                counts += count;
            }
        }
        long sets = threads * adds / 2 + rounds;
        assertEquals(sets, counts);
        assertEquals(new MetricValue.Statistics(sets, 2.0 * sets, -1, 3), datums.get(datums.size() - 1).value());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
