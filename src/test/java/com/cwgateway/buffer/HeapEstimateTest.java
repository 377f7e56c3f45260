package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.metric.PutMetricDataInput;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The buffer's estimate of its heap ({@link HeapEstimate}) against the heap it really takes, measured after
 * full collections, with data read by the real reader (which shares repeated names and values). Runs in a JVM
 * of its own with SerialGC (see the pom), so that nothing else allocates while it measures.
 */
class HeapEstimateTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:30Z");
    private static final String TIMESTAMP = "2026-03-01T12:00:00Z";
    private static final int DATUMS_PER_BODY = 1000;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @ParameterizedTest(name = "{0}: {1} series x {2} values, {3} dimensions of {4} characters, aggregation {5}")
    @CsvSource({
            "many values of few series, 10, 100000, 1, 10, true",
            "one value of many series, 200000, 1, 1, 11, true",
            "three dimensions, 100000, 1, 3, 11, true",
            "wide series, 2000, 1, 30, 250, true",
            "one value of many series, 200000, 1, 1, 11, false",
            "wide series, 2000, 1, 30, 250, false",
    })
    void theEstimateIsWithinAQuarterOfTheHeapMeasured(String name, int series, int values, int dimensions,
                                                      int valueLength, boolean aggregation) throws Exception {
        MetricBuffer buffer = aggregation ? new AggregatingBuffer(Long.MAX_VALUE) : new PassThroughBuffer(Long.MAX_VALUE);
        long before = usedAfterCollecting();

        fill(buffer, series, values, dimensions, valueLength);
        long measured = usedAfterCollecting() - before;
        Reference.reachabilityFence(buffer);

        long estimated = buffer.bytes();
        long units = values > 1 ? (long) series * values : series;
        System.out.printf(Locale.ROOT, "%s (aggregation %s): measured %d bytes, estimated %d (%+.1f%%): %.1f and %.1f"
                        + " bytes per %s%n", name, aggregation, measured, estimated, 100.0 * (estimated - measured) / measured,
                (double) measured / units, (double) estimated / units, values > 1 ? "value" : "series");
        assertEquals((long) series * values, buffer.points(), "every point is held");
        assertTrue(Math.abs(estimated - measured) <= measured / 4,
                name + ": estimated " + estimated + " bytes, measured " + measured);
    }

    /** Posts the data as clients would: bodies of 1000 datums, each read by one reader, then dropped. */
    private static void fill(MetricBuffer buffer, int series, int values, int dimensions, int valueLength)
            throws Exception {
        PutMetricDataReader reader = new PutMetricDataReader(Clock.fixed(NOW, ZoneOffset.UTC));
        int valuesPerDatum = Math.min(values, 100);
        int datumsPerSeries = values / valuesPerDatum;
        LongFunction<String> datum = index -> datum((int) (index % series), (int) (index / series), valuesPerDatum,
                dimensions, valueLength);
        long datums = (long) series * datumsPerSeries;
        for (long first = 0; first < datums; first += DATUMS_PER_BODY) {
            StringBuilder body = new StringBuilder("{\"Namespace\":\"Estimate\",\"MetricData\":[");
            for (long index = first; index < Math.min(datums, first + DATUMS_PER_BODY); index++) {
                body.append(index == first ? "" : ",").append(datum.apply(index));
            }
            byte[] bytes = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            PutMetricDataInput batch = reader.readInput(bytes, bytes.length);
            assertTrue(buffer.tryAdd(List.of(batch)));
        }
    }

    /**
     * The {@code round}-th datum of series {@code series}: distinct values across rounds, dimension values that
     * differ from series to series (the last one when there are several, so the others repeat and are shared).
     */
    private static String datum(int series, int round, int values, int dimensions, int valueLength) {
        StringBuilder datum = new StringBuilder("{\"MetricName\":\"Latency\",\"Unit\":\"Milliseconds\",\"Timestamp\":\"")
                .append(TIMESTAMP).append("\",\"Dimensions\":[");
        for (int d = 0; d < dimensions; d++) {
            String value = d == dimensions - 1 || valueLength > 100 ? series + "-" + d : "shared-" + d;
            datum.append(d == 0 ? "" : ",").append("{\"Name\":\"dimension").append(d).append("\",\"Value\":\"")
                    .append("v".repeat(valueLength - value.length())).append(value).append("\"}");
        }
        datum.append("],");
        if (values == 1) {
            return datum.append("\"Value\":").append(round).append('}').toString();
        }
        datum.append("\"Values\":[");
        for (int v = 0; v < values; v++) {
            datum.append(v == 0 ? "" : ",").append(round * values + v).append(".5");
        }
        return datum.append("]}").toString();
    }

    /** Heap in use after full collections, once two in a row agree within 64 KB. */
    private static long usedAfterCollecting() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(used - previous) < 64 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }
}
