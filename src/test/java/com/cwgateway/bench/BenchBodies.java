package com.cwgateway.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Writes the {@code POST /batch} body that {@code bench/wrk/batch.lua} sends and {@link ParseRate} parses, so
 * both measure the same bytes: a JSON array of 10 PutMetricData inputs with 100 datums each (about 189 KB).
 *
 * <p>What it looks like, so that validation and aggregation have real work: 5 namespaces ({@code Shop/<service>},
 * two inputs each), 10 metric names with their units, 2 or 3 dimensions per datum (ServiceName, Region and, for
 * every other metric, Operation), and values drawn from a fixed seed in each metric's own range (latencies with a
 * tenth of a millisecond, byte counts, percentages, small counts). No Timestamp: the gateway stamps datums when it
 * receives them, so nothing ages out however long the run.
 *
 * <p>Run: {@code java -cp target/test-classes com.cwgateway.bench.BenchBodies target/bench/batch.json}.
 */
public final class BenchBodies {

    /** 10 inputs x 100 datums, as the issue asks. */
    static final int INPUTS = 10;
    static final int DATUMS_PER_INPUT = 100;

    private static final String[] SERVICES = {"storefront-web", "checkout-api", "inventory-service",
            "payment-gateway", "search-indexer"};
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2"};
    private static final String[] OPERATIONS = {"GetProductDetails", "PutShoppingCartItem", "ListOrderHistory",
            "AuthorizePayment"};

    /** A metric name, its unit, and how its values are drawn. */
    private record Metric(String name, String unit, Kind kind) {}

    private enum Kind { LATENCY_MS, COUNT_SMALL, BYTES, PERCENT, MEGABYTES }

    private static final Metric[] METRICS = {
            new Metric("RequestLatency", "Milliseconds", Kind.LATENCY_MS),
            new Metric("RequestCount", "Count", Kind.COUNT_SMALL),
            new Metric("ResponseSizeBytes", "Bytes", Kind.BYTES),
            new Metric("ServerErrorCount", "Count", Kind.COUNT_SMALL),
            new Metric("CpuUtilization", "Percent", Kind.PERCENT),
            new Metric("HeapMemoryUsed", "Megabytes", Kind.MEGABYTES),
            new Metric("DatabaseQueryLatency", "Milliseconds", Kind.LATENCY_MS),
            new Metric("CacheHitRatio", "Percent", Kind.PERCENT),
            new Metric("QueueDepth", "Count", Kind.COUNT_SMALL),
            new Metric("UpstreamCallLatency", "Milliseconds", Kind.LATENCY_MS),
    };

    private BenchBodies() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench/batch.json");
        byte[] body = batch().getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, body);
        System.out.println(out + ": " + body.length + " bytes, " + INPUTS + " inputs x " + DATUMS_PER_INPUT
                + " datums");
    }

    static String batch() {
        Random random = new Random(20261125); // fixed: every run sends the same bytes
        StringBuilder json = new StringBuilder(200 * INPUTS * DATUMS_PER_INPUT).append('[');
        for (int input = 0; input < INPUTS; input++) {
            String service = SERVICES[input % SERVICES.length];
            json.append(input == 0 ? "" : ",").append("{\"Namespace\":\"Shop/").append(service)
                    .append("\",\"MetricData\":[");
            for (int d = 0; d < DATUMS_PER_INPUT; d++) {
                Metric metric = METRICS[d % METRICS.length];
                json.append(d == 0 ? "" : ",").append("{\"MetricName\":\"").append(metric.name())
                        .append("\",\"Dimensions\":[{\"Name\":\"ServiceName\",\"Value\":\"").append(service)
                        .append("\"},{\"Name\":\"Region\",\"Value\":\"").append(REGIONS[(d / 10) % REGIONS.length])
                        .append("\"}");
                if (d % 2 == 0) {
                    json.append(",{\"Name\":\"Operation\",\"Value\":\"")
                            .append(OPERATIONS[(d / 20 + input) % OPERATIONS.length]).append("\"}");
                }
                json.append("],\"Value\":").append(value(metric.kind(), random))
                        .append(",\"Unit\":\"").append(metric.unit()).append("\"}");
            }
            json.append("]}");
        }
        return json.append(']').toString();
    }

    private static String value(Kind kind, Random random) {
        return switch (kind) {
            // Log-normal around 40 ms, a tenth of a millisecond: many distinct values, a long tail.
            case LATENCY_MS -> String.format(Locale.ROOT, "%.1f", Math.exp(3.7 + 0.8 * random.nextGaussian()));
            case COUNT_SMALL -> Integer.toString(random.nextInt(20));
            case BYTES -> Integer.toString(200 + random.nextInt(60_000));
            case PERCENT -> String.format(Locale.ROOT, "%.2f", 100 * random.nextDouble());
            case MEGABYTES -> String.format(Locale.ROOT, "%.1f", 256 + 1024 * random.nextDouble());
        };
    }
}
