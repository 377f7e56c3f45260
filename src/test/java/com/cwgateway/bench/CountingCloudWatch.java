package com.cwgateway.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The CloudWatch stand-in for {@code make bench}: it answers the SDK's PutMetricData and counts what arrives,
 * nothing else. Unlike the tests' {@code CloudWatchStandIn} it keeps no record of the calls and builds no tree:
 * one streaming pass over the CBOR per call, so that counting 1000 calls of 1000 datums costs little next to
 * the gateway it measures (its handler time is reported as {@code busyMs}).
 *
 * <p>Endpoints, all on 127.0.0.1 (port 0 picks a free one; the port is printed as {@code listening on ...}):
 * <ul>
 *   <li>{@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData}: Smithy RPC v2 CBOR, gzip
 *       when {@code Content-Encoding: gzip}; answers 200 with an empty CBOR map, as CloudWatch does.</li>
 *   <li>{@code GET /counts}: one JSON object with the counts since start or the last reset.</li>
 *   <li>{@code POST /reset}: sets every count back to zero.</li>
 * </ul>
 *
 * <p>Points: a datum with {@code Counts} counts their sum; with {@code Values} only, one per value; with
 * {@code StatisticValues}, its {@code SampleCount}; with {@code Value}, one. So the gateway delivered everything
 * when {@code points} equals the number of single-value datums that were posted, aggregated or not.
 *
 * <p>Run: {@code java -cp target/test-classes:<test classpath> com.cwgateway.bench.CountingCloudWatch [port]}.
 */
public final class CountingCloudWatch {

    private static final String PUT_METRIC_DATA = "/service/GraniteServiceVersion20100801/operation/PutMetricData";
    /** PutMetricData has no output members: an empty CBOR map. */
    private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xA0};
    private static final CBORFactory CBOR = new CBORFactory();

    private long calls;
    private long datums;
    private double points;
    private long wireBytes;
    private long errors;
    private long firstCallMs;
    private long lastCallMs;
    private long busyNanos;

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        warmUp();
        CountingCloudWatch counter = new CountingCloudWatch();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext(PUT_METRIC_DATA, counter::putMetricData);
        server.createContext("/counts", counter::counts);
        server.createContext("/reset", counter::reset);
        // The gateway sends one call at a time; virtual threads keep this cheap whatever it does.
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("CountingCloudWatch listening on 127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }

    /**
     * Decodes sample requests for about 1.5 s before listening, so that the JIT has compiled the counting loops
     * before the gateway's first flush: cold, one aggregated request (333 datums of 150 Values and Counts, 0.9 MB
     * of CBOR) takes ~80 ms to count instead of ~3 ms, which would put the stand-in's time into the flush figures.
     */
    private static void warmUp() throws IOException {
        byte[] aggregated = gzip(sample(333, 150));
        byte[] single = gzip(sample(1000, 0));
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            count(new GZIPInputStream(new ByteArrayInputStream(aggregated)));
            count(new GZIPInputStream(new ByteArrayInputStream(single)));
        }
    }

    /** A PutMetricData request as the SDK writes it: datums of {@code values} Values and Counts, or of one Value. */
    private static byte[] sample(int datums, int values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Namespace", "Warm/Up");
            g.writeArrayFieldStart("MetricData");
            for (int d = 0; d < datums; d++) {
                g.writeStartObject();
                g.writeStringField("MetricName", "Latency");
                g.writeArrayFieldStart("Dimensions");
                g.writeStartObject();
                g.writeStringField("Name", "Series");
                g.writeStringField("Value", "series-" + d % 10);
                g.writeEndObject();
                g.writeEndArray();
                if (values == 0) {
                    g.writeNumberField("Value", d % 2 == 0 ? d : d + 0.5);
                } else {
                    g.writeArrayFieldStart("Values");
                    for (int v = 0; v < values; v++) {
                        g.writeNumber(v % 2 == 0 ? (double) d * values + v : d * values + v + 0.25);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("Counts");
                    for (int v = 0; v < values; v++) {
                        g.writeNumber(1 + v % 3);
                    }
                    g.writeEndArray();
                }
                g.writeStringField("Unit", "Milliseconds");
                g.writeNumberField("Timestamp", 1.7e9 + d);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private void putMetricData(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        long startedMs = System.currentTimeMillis();
        try (exchange) {
            CountingStream wire = new CountingStream(exchange.getRequestBody());
            boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            Tally tally;
            try (InputStream body = gzip ? new GZIPInputStream(wire, 64 * 1024) : wire) {
                tally = count(body);
            } catch (IOException | RuntimeException e) {
                // Closing the body above drained what was left of it, so the connection stays usable.
                System.err.println("CountingCloudWatch: cannot decode a PutMetricData body: " + e);
                synchronized (this) {
                    errors++;
                }
                // The SDK reads the error code from this header; the gateway logs it and keeps the data.
                exchange.getResponseHeaders().set("x-amzn-query-error", "InvalidParameterValue;Sender");
                respond(exchange, 400);
                return;
            }
            synchronized (this) {
                calls++;
                datums += tally.datums;
                points += tally.points;
                wireBytes += wire.count;
                if (firstCallMs == 0) {
                    firstCallMs = startedMs;
                }
                lastCallMs = System.currentTimeMillis();
                busyNanos += System.nanoTime() - started;
            }
            respond(exchange, 200);
        }
    }

    private static void respond(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/cbor");
        exchange.getResponseHeaders().set("smithy-protocol", "rpc-v2-cbor");
        exchange.sendResponseHeaders(status, EMPTY_CBOR_MAP.length);
        exchange.getResponseBody().write(EMPTY_CBOR_MAP);
    }

    private void counts(HttpExchange exchange) throws IOException {
        String json;
        synchronized (this) {
            json = "{\"calls\":" + calls + ",\"datums\":" + datums + ",\"points\":" + number(points)
                    + ",\"wireBytes\":" + wireBytes + ",\"errors\":" + errors + ",\"firstCallMs\":" + firstCallMs
                    + ",\"lastCallMs\":" + lastCallMs + ",\"busyMs\":" + busyNanos / 1_000_000 + "}";
        }
        try (exchange) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void reset(HttpExchange exchange) throws IOException {
        synchronized (this) {
            calls = datums = wireBytes = errors = firstCallMs = lastCallMs = busyNanos = 0;
            points = 0;
        }
        try (exchange) {
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** Whole numbers without a fraction, so that a shell can compare them. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private record Tally(long datums, double points) {}

    /** One pass over {@code {"Namespace":..., "MetricData":[{...}, ...]}}; every other member is skipped. */
    static Tally count(InputStream body) throws IOException {
        long datums = 0;
        double points = 0;
        try (JsonParser p = CBOR.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("PutMetricData body is not a CBOR map");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken value = p.nextToken();
                if ("MetricData".equals(member) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        datums++;
                        points += datumPoints(p);
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Tally(datums, points);
    }

    /** The points one MetricDatum stands for; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static double datumPoints(JsonParser p) throws IOException {
        long values = -1;
        double counts = -1;
        double sampleCount = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            p.nextToken();
            switch (member) {
                case "Values" -> {
                    values = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        values++;
                    }
                }
                case "Counts" -> {
                    counts = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        counts += p.getDoubleValue();
                    }
                }
                case "StatisticValues" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String statistic = p.currentName();
                        p.nextToken();
                        if ("SampleCount".equals(statistic)) {
                            sampleCount = p.getDoubleValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (counts >= 0) {
            return counts;
        }
        if (values >= 0) {
            return values;
        }
        return sampleCount >= 0 ? sampleCount : 1;
    }

    /** Counts the bytes as they came over the wire (before gunzip). */
    private static final class CountingStream extends InputStream {
        private final InputStream in;
        long count;

        CountingStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
