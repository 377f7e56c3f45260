package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The dry-run sink ({@code SINK=log}): each PutMetricData call that would be made becomes one JSON line
 * on standard output, {@code {"PutMetricData":{"Namespace":...,"MetricData":[...]},"bytesAtMost":N}},
 * with the datums in CloudWatch's own shape exactly as they would be sent and the size bound that
 * chunking used. Nothing is sent to AWS; validation, buffering, flushing and shutdown run as ever.
 */
public final class LogSink implements MetricSink {

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;

    public LogSink(PrintStream out) {
        this.out = out;
    }

    @Override
    public void publish(String namespace, List<Datum> chunk, Duration timeLimit) {
        String line = line(namespace, chunk);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static String line(String namespace, List<Datum> chunk) {
        StringWriter text = new StringWriter(256 * chunk.size());
        int bytes = RequestSize.envelope(namespace);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeObjectFieldStart("PutMetricData");
            json.writeStringField("Namespace", namespace);
            json.writeArrayFieldStart("MetricData");
            for (Datum datum : chunk) {
                write(json, datum);
                bytes += RequestSize.of(datum);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeNumberField("bytesAtMost", bytes);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonGenerator json, Datum datum) throws IOException {
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

    @Override
    public String describe() {
        return "log (each PutMetricData call that would be made is printed to standard output; nothing is sent to AWS)";
    }

    @Override
    public void close() {
        out.flush();
    }
}
