package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.RecordedDatum;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Aggregation is lossless: random streams posted through the real server reach the CloudWatch stand-in
 * with, per series and period, the same multiset of values (so the same Sum, SampleCount, Minimum,
 * Maximum and every percentile) and the same merged statistic sets as if each point had been sent alone.
 */
class AggregationTest {

    /** What CloudWatch aggregates together: the series and its period. */
    private record SeriesPeriod(String namespace, String metricName, Map<String, String> dimensions, String unit,
                                int resolution, long periodStart) {}

    /** What one series-period holds: every value with its total count, and the merged statistic set. */
    private static final class Statistics {
        final TreeMap<Double, Double> counts = new TreeMap<>();
        double setCount;
        double setSum;
        double setMin = Double.POSITIVE_INFINITY;
        double setMax = Double.NEGATIVE_INFINITY;

        void value(double value, double count) {
            counts.merge(value == 0 ? 0.0 : value, count, Double::sum);
        }

        void set(double count, double sum, double min, double max) {
            setCount += count;
            setSum += sum;
            setMin = Math.min(setMin, min);
            setMax = Math.max(setMax, max);
        }

        double sampleCount() {
            return counts.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double sum() {
            return counts.entrySet().stream().mapToDouble(e -> e.getKey() * e.getValue()).sum();
        }

        /** The nearest-rank percentile of the values, weighted by their counts. */
        double percentile(double p) {
            double rank = Math.ceil(p / 100 * sampleCount());
            double seen = 0;
            for (Map.Entry<Double, Double> entry : counts.entrySet()) {
                seen += entry.getValue();
                if (seen >= rank) {
                    return entry.getKey();
                }
            }
            return Double.NaN;
        }
    }

    @Test
    void randomStreamsKeepEveryStatisticAndPercentile() throws Exception {
        for (long seed = 1; seed <= 5; seed++) {
            checkStream(new Random(seed), seed);
        }
    }

    private void checkStream(Random random, long seed) throws Exception {
        Map<SeriesPeriod, Statistics> sent = new HashMap<>();
        List<String> datums = new ArrayList<>();
        long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES).toEpochMilli();
        int points = 3000 + random.nextInt(3000);
        for (int i = 0; i < points; i++) {
            String namespace = "Agg" + random.nextInt(2);
            String metric = "m" + random.nextInt(4);
            String unit = random.nextInt(5) == 0 ? null : (random.nextBoolean() ? "Milliseconds" : "Seconds");
            int resolution = random.nextInt(4) == 0 ? 1 : 60;
            long timestamp = minute + random.nextInt(3) * 60_000L + random.nextInt(60_000);
            List<String[]> dimensions = new ArrayList<>();
            dimensions.add(new String[] {"Host", "h" + random.nextInt(2)});
            if (random.nextBoolean()) {
                dimensions.add(new String[] {"Az", "a"});
            }
            Collections.shuffle(dimensions, random); // dimension order must not matter
            Map<String, String> dimensionMap = new HashMap<>();
            StringBuilder dimensionJson = new StringBuilder();
            for (String[] dimension : dimensions) {
                dimensionMap.put(dimension[0], dimension[1]);
                dimensionJson.append(dimensionJson.isEmpty() ? "" : ",")
                        .append("{\"Name\":\"").append(dimension[0]).append("\",\"Value\":\"").append(dimension[1]).append("\"}");
            }
            long period = resolution == 1 ? 1_000 : 60_000;
            Statistics statistics = sent.computeIfAbsent(new SeriesPeriod(namespace, metric, dimensionMap, unit,
                    resolution, timestamp / period * period), key -> new Statistics());
            String valueJson;
            switch (random.nextInt(4)) {
                case 0, 1 -> {
                    double value = random.nextInt(200) / 4.0; // repeats, so counts merge
                    statistics.value(value, 1);
                    valueJson = "\"Value\":" + value;
                }
                case 2 -> {
                    int n = 1 + random.nextInt(20);
                    List<String> values = new ArrayList<>();
                    List<String> counts = new ArrayList<>();
                    boolean withCounts = random.nextBoolean();
                    for (int v = 0; v < n; v++) {
                        double value = random.nextGaussian() * 100;
                        double count = withCounts ? 1 + random.nextInt(5) : 1;
                        values.add(String.valueOf(value));
                        counts.add(String.valueOf(count));
                        statistics.value(value, count);
                    }
                    valueJson = "\"Values\":[" + String.join(",", values) + "]"
                            + (withCounts ? ",\"Counts\":[" + String.join(",", counts) + "]" : "");
                }
                default -> {
                    double min = random.nextInt(100);
                    double max = min + random.nextInt(100);
                    double count = 1 + random.nextInt(50);
                    double sum = (min + max) / 2 * count;
                    statistics.set(count, sum, min, max);
                    valueJson = String.format(Locale.ROOT,
                            "\"StatisticValues\":{\"SampleCount\":%s,\"Sum\":%s,\"Minimum\":%s,\"Maximum\":%s}",
                            count, sum, min, max);
                }
            }
            datums.add("{\"Namespace\":\"" + namespace + "\",\"MetricData\":[{\"MetricName\":\"" + metric + "\","
                    + "\"Dimensions\":[" + dimensionJson + "]," + valueJson
                    + (unit == null ? "" : ",\"Unit\":\"" + unit + "\"")
                    + ",\"StorageResolution\":" + resolution + ",\"Timestamp\":" + timestamp + "}]}");
        }

        Map<SeriesPeriod, Statistics> delivered = new HashMap<>();
        int calls;
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            for (int from = 0; from < datums.size(); from += 500) {
                String batch = "[" + String.join(",", datums.subList(from, Math.min(datums.size(), from + 500))) + "]";
                HttpResponse<String> response = gateway.postJson("/batch", batch);
                assertEquals(202, response.statusCode(), response.body());
            }
            gateway.gateway.close();
            calls = gateway.cloudWatch.acceptedCalls().size();
            for (RecordedCall call : gateway.cloudWatch.acceptedCalls()) {
                for (RecordedDatum datum : call.datums()) {
                    int resolution = datum.storageResolution() == null ? 60 : datum.storageResolution();
                    long period = resolution == 1 ? 1_000 : 60_000;
                    long timestamp = datum.timestamp().toEpochMilli();
                    assertEquals(0, timestamp % period, "stamped at the start of its period: " + datum);
                    Statistics statistics = delivered.computeIfAbsent(new SeriesPeriod(call.namespace(),
                            datum.metricName(), datum.dimensions(), datum.unit(), resolution, timestamp),
                            key -> new Statistics());
                    if (datum.value() != null) {
                        statistics.value(datum.value(), 1);
                    } else if (datum.values() != null) {
                        assertTrue(datum.values().size() <= 150);
                        assertEquals(datum.values().size(), new TreeSet<>(datum.values()).size(), "distinct values");
                        for (int v = 0; v < datum.values().size(); v++) {
                            statistics.value(datum.values().get(v), datum.counts() == null ? 1 : datum.counts().get(v));
                        }
                    } else {
                        var set = datum.statistics();
                        statistics.set(set.sampleCount(), set.sum(), set.minimum(), set.maximum());
                    }
                }
            }
        }

        assertEquals(sent.keySet(), delivered.keySet(), "seed " + seed);
        for (Map.Entry<SeriesPeriod, Statistics> entry : sent.entrySet()) {
            Statistics in = entry.getValue();
            Statistics out = delivered.get(entry.getKey());
            String where = "seed " + seed + ", " + entry.getKey();
            assertEquals(in.counts, out.counts, where);
            assertEquals(in.sampleCount(), out.sampleCount(), 1e-9, where);
            assertEquals(in.sum(), out.sum(), 1e-6 * Math.max(1, Math.abs(in.sum())), where);
            for (double p : new double[] {0, 10, 50, 90, 99, 99.9, 100}) {
                assertEquals(in.percentile(p), out.percentile(p), where + " p" + p);
            }
            assertEquals(in.setCount, out.setCount, 1e-9, where);
            assertEquals(in.setSum, out.setSum, 1e-6 * Math.max(1, Math.abs(in.setSum)), where);
            assertEquals(in.setMin, out.setMin, where);
            assertEquals(in.setMax, out.setMax, where);
        }
        assertTrue(calls < points / 10, "aggregation should need far fewer calls than points: " + calls);
    }

    @Test
    void tenSeriesOfTenThousandPointsInOneMinuteTakeOneCall() throws Exception {
        long minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(2, ChronoUnit.MINUTES).toEpochMilli();
        Random random = new Random(7);
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000",
                "MAX_BODY_BYTES", "16777216"))) {
            List<String> inputs = new ArrayList<>();
            for (int series = 0; series < 10; series++) {
                List<String> datums = new ArrayList<>();
                for (int point = 0; point < 10_000; point++) {
                    // A latency in whole milliseconds, as most clients report it.
                    datums.add("{\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Service\",\"Value\":\"s" + series
                            + "\"}],\"Value\":" + (5 + random.nextInt(120)) + ",\"Unit\":\"Milliseconds\",\"Timestamp\":"
                            + (minute + random.nextInt(60_000)) + "}");
                    if (datums.size() == 1000) {
                        inputs.add("{\"Namespace\":\"Shop\",\"MetricData\":[" + String.join(",", datums) + "]}");
                        datums.clear();
                    }
                }
            }
            for (int from = 0; from < inputs.size(); from += 10) {
                String batch = "[" + String.join(",", inputs.subList(from, from + 10)) + "]";
                assertEquals(202, gateway.postJson("/batch", batch).statusCode());
            }
            gateway.gateway.close();

            List<RecordedCall> calls = gateway.cloudWatch.acceptedCalls();
            assertEquals(1, calls.size(), "100,000 points in 10 series and one minute");
            double samples = 0;
            for (RecordedDatum datum : calls.getFirst().datums()) {
                samples += datum.counts().stream().mapToDouble(Double::doubleValue).sum();
            }
            assertEquals(100_000, samples);
            assertEquals(10, calls.getFirst().datums().size());
        }
    }
}
