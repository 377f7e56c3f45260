package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.DatumFields;
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
        datum.walk(new JsonFields(json));
        json.writeEndObject();
    }

    /** A datum's fields as CloudWatch's JSON names them. */
    private record JsonFields(JsonGenerator json) implements DatumFields<IOException> {

        @Override
        public void metricName(String name) throws IOException {
            json.writeStringField("MetricName", name);
        }

        @Override
        public void dimensions(List<Dimension> dimensions) throws IOException {
            json.writeArrayFieldStart("Dimensions");
            for (Dimension dimension : dimensions) {
                json.writeStartObject();
                json.writeStringField("Name", dimension.name());
                json.writeStringField("Value", dimension.value());
                json.writeEndObject();
            }
            json.writeEndArray();
        }

        @Override
        public void value(double value) throws IOException {
            json.writeNumberField("Value", value);
        }

        @Override
        public void values(double[] values, double[] counts) throws IOException {
            json.writeFieldName("Values");
            json.writeArray(values, 0, values.length);
            if (counts != null) {
                json.writeFieldName("Counts");
                json.writeArray(counts, 0, counts.length);
            }
        }

        @Override
        public void statistics(MetricValue.Statistics statistics) throws IOException {
            json.writeObjectFieldStart("StatisticValues");
            json.writeNumberField("SampleCount", statistics.sampleCount());
            json.writeNumberField("Sum", statistics.sum());
            json.writeNumberField("Minimum", statistics.minimum());
            json.writeNumberField("Maximum", statistics.maximum());
            json.writeEndObject();
        }

        @Override
        public void unit(String unit) throws IOException {
            json.writeStringField("Unit", unit);
        }

        @Override
        public void storageResolution(int resolution) throws IOException {
            json.writeNumberField("StorageResolution", resolution);
        }

        @Override
        public void timestamp(long epochMillis) throws IOException {
            json.writeStringField("Timestamp", Instant.ofEpochMilli(epochMillis).toString());
        }
    }
}
