package com.cwgateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One MetricDatum as CloudWatch received it. Absent fields are null. Records compare by value, so a test can
 * build the expected datum and use {@code assertEquals}.
 *
 * @param dimensions in the order sent (a later duplicate name overwrites; see {@link RecordedCall#body()} for raw)
 * @param timestamp  to the millisecond, as the SDK sends it
 */
public record RecordedDatum(String metricName, Map<String, String> dimensions, Double value, List<Double> values,
                            List<Double> counts, StatisticSet statistics, String unit, Integer storageResolution,
                            Instant timestamp) {

    /** MetricDatum.StatisticValues. */
    public record StatisticSet(double sampleCount, double sum, double minimum, double maximum) {}

    /** Decodes one element of the request's {@code MetricData} array. */
    static RecordedDatum fromCbor(JsonNode d) {
        Map<String, String> dimensions = new LinkedHashMap<>();
        for (JsonNode dim : d.path("Dimensions")) {
            dimensions.put(dim.path("Name").asText(), dim.path("Value").asText());
        }
        JsonNode s = d.get("StatisticValues");
        StatisticSet statistics = s == null ? null : new StatisticSet(s.path("SampleCount").doubleValue(),
                s.path("Sum").doubleValue(), s.path("Minimum").doubleValue(), s.path("Maximum").doubleValue());
        return new RecordedDatum(
                text(d, "MetricName"),
                Collections.unmodifiableMap(dimensions),
                d.has("Value") ? d.get("Value").doubleValue() : null,
                doubles(d.get("Values")),
                doubles(d.get("Counts")),
                statistics,
                text(d, "Unit"),
                d.has("StorageResolution") ? d.get("StorageResolution").intValue() : null,
                instant(d.get("Timestamp")));
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    /** The SDK writes doubles in the smallest exact CBOR form: 2.0 arrives as the integer 2, 1.5 as a float32. */
    private static List<Double> doubles(JsonNode array) {
        if (array == null) {
            return null;
        }
        List<Double> out = new ArrayList<>();
        array.forEach(n -> out.add(n.doubleValue()));
        return Collections.unmodifiableList(out);
    }

    /**
     * Smithy RPC v2 CBOR timestamps are tag 1 (epoch seconds); the SDK sends a float64 with the milliseconds in
     * the fraction. The tag is dropped by the tree model, the number stays; rounding to the millisecond undoes the
     * binary fraction (e.g. ...645.678 is not exact in a double).
     */
    private static Instant instant(JsonNode seconds) {
        if (seconds == null) {
            return null;
        }
        long millis = seconds.decimalValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
        return Instant.ofEpochMilli(millis);
    }
}
