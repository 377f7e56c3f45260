package com.cwgateway.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The parse ceiling for {@code make bench}: how many datums per second Jackson's streaming parser gets through
 * the batch body on one thread, in process, with nothing else running. Two loops, each warmed up and then timed:
 * <ul>
 *   <li>{@code tokens}: {@code nextToken()} over the whole body and nothing more (Jackson decodes numbers and
 *       strings lazily, so this is the least any parser-based reader can do);</li>
 *   <li>{@code values}: the same, also reading every string and every number ({@code getText},
 *       {@code getDoubleValue}), the least a reader that keeps the data must do.</li>
 * </ul>
 * Prints one JSON object: datums/s, bodies/s and MB/s for each.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -cp target/test-classes:<jackson-core> com.cwgateway.bench.ParseRate
 * target/bench/batch.json [seconds]}.
 */
public final class ParseRate {

    private static final JsonFactory JSON = new JsonFactory();

    private ParseRate() {}

    public static void main(String[] args) throws IOException {
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int datums = countDatums(body);
        String tokens = measure("tokens", body, datums, seconds, false);
        String values = measure("values", body, datums, seconds, true);
        System.out.println("{\"bodyBytes\":" + body.length + ",\"datumsPerBody\":" + datums + "," + tokens + ","
                + values + "}");
    }

    /** Warm-up for 2 s (JIT), then as many whole passes as fit in {@code seconds}. */
    private static String measure(String name, byte[] body, int datums, double seconds, boolean readValues)
            throws IOException {
        long checksum = 0;
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            checksum += pass(body, readValues);
        }
        long passes = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            checksum += pass(body, readValues);
            passes++;
            now = System.nanoTime();
        } while (now < end);
        double elapsed = (now - start) / 1e9;
        return String.format(Locale.ROOT,
                "\"%s\":{\"datumsPerSecond\":%.0f,\"bodiesPerSecond\":%.1f,\"megabytesPerSecond\":%.1f,"
                        + "\"seconds\":%.2f,\"checksum\":%d}",
                name, passes * datums / elapsed, passes / elapsed, passes * body.length / elapsed / 1e6, elapsed,
                checksum);
    }

    /** One pass over the body; returns something derived from what was read so that none of it is dead code. */
    private static long pass(byte[] body, boolean readValues) throws IOException {
        long sum = 0;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                sum += t.ordinal();
                if (readValues) {
                    if (t == JsonToken.VALUE_STRING) {
                        sum += p.getText().length();
                    } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        sum += (long) p.getDoubleValue();
                    }
                }
            }
        }
        return sum;
    }

    private static int countDatums(byte[] body) throws IOException {
        int datums = 0;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME && "MetricName".equals(p.currentName())) {
                    datums++;
                }
            }
        }
        return datums;
    }
}
