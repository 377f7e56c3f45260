package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
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
    public Published publish(String namespace, List<Datum> chunk, Duration timeLimit) {
        String line = line(namespace, chunk);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
        return Published.ONCE;
    }

    static String line(String namespace, List<Datum> chunk) {
        StringWriter text = new StringWriter(256 * chunk.size());
        int bytes = RequestSize.envelope(namespace) + chunk.stream().mapToInt(RequestSize::of).sum();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeFieldName("PutMetricData");
            PutMetricDataJson.writeInput(json, namespace, chunk);
            json.writeNumberField("bytesAtMost", bytes);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
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
