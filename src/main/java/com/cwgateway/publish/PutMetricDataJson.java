package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Writes datums as a PutMetricData input in CloudWatch's own JSON shape, the shape clients post: the
 * dry-run sink prints it and the spool stores it, so both can be read back by the gateway's own reader.
 */
final class PutMetricDataJson {

    private PutMetricDataJson() {}

    /** {@code {"Namespace":...,"MetricData":[...]}}. */
    static void writeInput(JsonGenerator json, String namespace, List<Datum> datums) throws IOException {
        json.writeStartObject();
        json.writeStringField("Namespace", namespace);
        json.writeArrayFieldStart("MetricData");
        for (Datum datum : datums) {
            writeDatum(json, datum);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeDatum(JsonGenerator json, Datum datum) throws IOException {
        json.writeStartObject();
        json.writeStringField("MetricName", datum.metricName());
        if (!datum.dimensions().isEmpty()) {
            json.writeArrayFieldStart("Dimensions");
            for (Dimension dimension : datum.dimensions()) {
                json.writeStartObject();
                json.writeStringField("Name", dimension.name());
                json.writeStringField("Value", dimension.value());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        switch (datum.value()) {
            case MetricValue.Single single -> json.writeNumberField("Value", single.value());
            case MetricValue.Distribution distribution -> {
                json.writeFieldName("Values");
                json.writeArray(distribution.values(), 0, distribution.values().length);
                if (distribution.counts() != null) {
                    json.writeFieldName("Counts");
                    json.writeArray(distribution.counts(), 0, distribution.counts().length);
                }
            }
            case MetricValue.Statistics statistics -> {
                json.writeObjectFieldStart("StatisticValues");
                json.writeNumberField("SampleCount", statistics.sampleCount());
                json.writeNumberField("Sum", statistics.sum());
                json.writeNumberField("Minimum", statistics.minimum());
                json.writeNumberField("Maximum", statistics.maximum());
                json.writeEndObject();
            }
        }
        if (datum.unit() != null) {
            json.writeStringField("Unit", datum.unit());
        }
        if (datum.storageResolution() != null) {
            json.writeNumberField("StorageResolution", datum.storageResolution());
        }
        json.writeStringField("Timestamp", Instant.ofEpochMilli(datum.timestampMillis()).toString());
        json.writeEndObject();
    }
}
