package com.cwgateway.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts exactly N points into a gateway's buffer for the "1M points" figures of {@code make bench}: N single-value
 * datums over S series (Namespace {@code Bench}, MetricName {@code Latency}, one dimension {@code Series=series-NN},
 * Unit Milliseconds, no Timestamp), each series getting the distinct values 0, 1, ..., N/S - 1. Distinct values are
 * the worst case for aggregation: nothing repeats, so every value stays in the aggregated form with a count of 1
 * (at most 150 per datum) and nothing is saved by counting equal values.
 *
 * <p>It posts {@code /batch} bodies of 1000 datums (S inputs of 1000/S datums), 4 at a time, and stops with exit
 * code 1 at the first answer other than {@code 202 {"accepted":1000}}, so a count that reaches the stand-in can be
 * compared with N. Prints one JSON object with the time taken.
 *
 * <p>With S given as {@code new}, every point is a series of its own (dimension {@code Series=new-R-K}): the cost of
 * a new series, which is what a high-cardinality flood fills the buffer with.
 *
 * <p>Run: {@code java -cp target/test-classes com.cwgateway.bench.LoadPoints http://127.0.0.1:PORT 1000000 10}.
 */
public final class LoadPoints {

    private static final int DATUMS_PER_REQUEST = 1000;
    private static final int IN_FLIGHT = 4;

    private LoadPoints() {}

    public static void main(String[] args) throws Exception {
        URI batch = URI.create(args[0] + "/batch");
        int points = Integer.parseInt(args[1]);
        boolean newSeries = args.length > 2 && args[2].equals("new");
        int series = newSeries ? points : args.length > 2 ? Integer.parseInt(args[2]) : 10;
        if ((!newSeries && DATUMS_PER_REQUEST % series != 0) || points % DATUMS_PER_REQUEST != 0) {
            throw new IllegalArgumentException("points must be a multiple of 1000 and series divide 1000");
        }
        int requests = points / DATUMS_PER_REQUEST;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            senders.add(Thread.ofVirtual().start(() -> {
                for (int r = next.getAndIncrement(); r < requests && failures.isEmpty(); r = next.getAndIncrement()) {
                    String body = newSeries ? newSeriesBody(r) : body(r, series);
                    try {
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(batch)
                                        .timeout(Duration.ofSeconds(60))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 202
                                || !response.body().contains("\"accepted\":" + DATUMS_PER_REQUEST)) {
                            failures.add("request " + r + ": " + response.statusCode() + " " + response.body());
                        } else {
                            accepted.addAndGet(DATUMS_PER_REQUEST);
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.add("request " + r + ": " + e);
                    }
                }
            }));
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!failures.isEmpty()) {
            System.err.println("LoadPoints: " + failures.get(0) + " (" + accepted.get() + " points accepted before)");
            System.exit(1);
        }
        System.out.printf(Locale.ROOT, "{\"points\":%d,\"series\":%d,\"requests\":%d,\"seconds\":%.3f,"
                + "\"pointsPerSecond\":%.0f}%n", accepted.get(), series, requests, seconds, accepted.get() / seconds);
    }

    /** Request r of new series: 1000 datums, each of a series no request had before. */
    static String newSeriesBody(int r) {
        StringBuilder json = new StringBuilder(120 * DATUMS_PER_REQUEST)
                .append("[{\"Namespace\":\"Bench\",\"MetricData\":[");
        for (int k = 0; k < DATUMS_PER_REQUEST; k++) {
            json.append(k == 0 ? "" : ",")
                    .append("{\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Series\",\"Value\":\"new-")
                    .append(r).append('-').append(k).append("\"}],\"Value\":").append(k)
                    .append(",\"Unit\":\"Milliseconds\"}");
        }
        return json.append("]}]").toString();
    }

    /** Request r: for each series s, the values r*k .. r*k+k-1 where k = 1000/S. */
    static String body(int r, int series) {
        int perSeries = DATUMS_PER_REQUEST / series;
        StringBuilder json = new StringBuilder(120 * DATUMS_PER_REQUEST).append('[');
        for (int s = 0; s < series; s++) {
            json.append(s == 0 ? "" : ",").append("{\"Namespace\":\"Bench\",\"MetricData\":[");
            String dimension = String.format(Locale.ROOT, "series-%02d", s);
            for (int k = 0; k < perSeries; k++) {
                json.append(k == 0 ? "" : ",")
                        .append("{\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Series\",\"Value\":\"")
                        .append(dimension).append("\"}],\"Value\":").append((long) r * perSeries + k)
                        .append(",\"Unit\":\"Milliseconds\"}");
            }
            json.append("]}");
        }
        return json.append(']').toString();
    }
}
