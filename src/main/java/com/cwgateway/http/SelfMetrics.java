package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /metrics}: the gateway's own metrics in the Prometheus text exposition format (version 0.0.4):
 * requests, what became of points, the buffer, flushes, PutMetricData calls by outcome, the spool, memory.
 * ({@code POST /metrics} is ingestion; the method tells them apart.)
 */
final class SelfMetrics implements Router.Handler {

    private final RequestStats requests;
    private final DeliveryStats delivery;
    private final MetricBuffer buffer;
    private final Spool spool;
    private final String version;

    SelfMetrics(RequestStats requests, DeliveryStats delivery, MetricBuffer buffer, Spool spool, String version) {
        this.requests = requests;
        this.delivery = delivery;
        this.buffer = buffer;
        this.spool = spool;
        this.version = version;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Responses.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                exposition().getBytes(StandardCharsets.UTF_8));
    }

    String exposition() {
        StringBuilder text = new StringBuilder(4096);
        family(text, "gateway_info", "gauge", "The gateway's version.");
        sample(text, "gateway_info", "version=\"" + escape(version) + "\"", 1);

        family(text, "gateway_requests_total", "counter", "HTTP requests by path, method and status.");
        for (Map.Entry<RequestStats.Key, Long> entry : requests.snapshot().entrySet()) {
            RequestStats.Key key = entry.getKey();
            sample(text, "gateway_requests_total", "path=\"" + escape(key.path()) + "\",method=\""
                    + escape(key.method()) + "\",status=\"" + key.status() + "\"", entry.getValue());
        }

        // The ledger, in points (values clients sent): in = out + dropped + held, at every scrape.
        DeliveryStats.Snapshot ledger = delivery.snapshot();
        family(text, "gateway_points_in_total", "counter",
                "Points that came in: accepted from clients (answered 202), or replayed from SPOOL_DIR at start.");
        sample(text, "gateway_points_in_total", "source=\"accepted\"", ledger.accepted());
        sample(text, "gateway_points_in_total", "source=\"replayed\"", ledger.replayed());
        family(text, "gateway_points_out_total", "counter",
                "Points that left: published (CloudWatch confirmed them), or spooled to SPOOL_DIR at shutdown.");
        sample(text, "gateway_points_out_total", "outcome=\"published\"", ledger.published());
        sample(text, "gateway_points_out_total", "outcome=\"spooled\"", ledger.spooled());
        family(text, "gateway_points_dropped_total", "counter", "Points dropped, by reason.");
        for (Map.Entry<DeliveryStats.DropReason, Long> entry : ledger.dropped().entrySet()) {
            sample(text, "gateway_points_dropped_total", "reason=\"" + entry.getKey().name().toLowerCase(Locale.ROOT)
                    + "\"", entry.getValue());
        }
        family(text, "gateway_points_held", "gauge",
                "Points held now: buffered, or in flight (handed to a PutMetricData call not yet settled).");
        sample(text, "gateway_points_held", "where=\"buffered\"", ledger.buffered());
        sample(text, "gateway_points_held", "where=\"in_flight\"", ledger.inFlight());
        family(text, "gateway_points_requeued_total", "counter",
                "Points put back into the buffer after a failed or unstarted call, to be published later.");
        sample(text, "gateway_points_requeued_total", null, ledger.retried());
        family(text, "gateway_points_possibly_duplicated_total", "counter",
                "Points sent in calls whose outcome is unknown (timed out after sending): CloudWatch may hold them twice.");
        sample(text, "gateway_points_possibly_duplicated_total", null, ledger.possiblyDuplicated());

        family(text, "gateway_buffer_bytes", "gauge",
                "Heap the buffer holds, as estimated: waiting for a flush, or taken by one and not yet settled.");
        sample(text, "gateway_buffer_bytes", null, buffer.bytes());
        family(text, "gateway_buffer_capacity_bytes", "gauge", "MAX_BUFFER_BYTES, as in force.");
        sample(text, "gateway_buffer_capacity_bytes", null, buffer.maxBytes());

        family(text, "gateway_flush_duration_seconds", "summary", "Time spent in flushes.");
        sample(text, "gateway_flush_duration_seconds_sum", null, delivery.flushSeconds());
        sample(text, "gateway_flush_duration_seconds_count", null, delivery.flushes());

        family(text, "gateway_putmetricdata_calls_total", "counter",
                "PutMetricData calls by outcome: ok, or CloudWatch's error code.");
        for (Map.Entry<String, Long> entry : delivery.calls().entrySet()) {
            sample(text, "gateway_putmetricdata_calls_total", "outcome=\"" + escape(entry.getKey()) + "\"",
                    entry.getValue());
        }

        if (spool != null) { // a dry run (SINK=log) has none
            Spool.Waiting log = spool.waiting();
            family(text, "gateway_spool_segments", "gauge", "Segment files of the spool's log in SPOOL_DIR.");
            sample(text, "gateway_spool_segments", null, log.segments());
            family(text, "gateway_spool_bytes", "gauge", "Bytes of the spool's log in SPOOL_DIR.");
            sample(text, "gateway_spool_bytes", null, log.bytes());
            family(text, "gateway_spool_fsyncs_total", "counter", "Forces of the spool's log to disk (one per group of requests).");
            sample(text, "gateway_spool_fsyncs_total", null, log.forces());
            family(text, "gateway_spool_fsync_seconds_total", "counter", "Time spent forcing the spool's log to disk.");
            sample(text, "gateway_spool_fsync_seconds_total", null, log.forceSeconds());
        }

        Runtime runtime = Runtime.getRuntime();
        family(text, "jvm_memory_used_bytes", "gauge", "Heap in use.");
        sample(text, "jvm_memory_used_bytes", "area=\"heap\"", runtime.totalMemory() - runtime.freeMemory());
        family(text, "jvm_memory_max_bytes", "gauge", "The most heap the JVM may use.");
        sample(text, "jvm_memory_max_bytes", "area=\"heap\"", runtime.maxMemory());
        long rss = residentBytes();
        if (rss >= 0) {
            family(text, "process_resident_memory_bytes", "gauge", "Resident memory of the process.");
            sample(text, "process_resident_memory_bytes", null, rss);
        }
        return text.toString();
    }

    /** VmRSS from /proc (Linux); -1 elsewhere. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static void family(StringBuilder text, String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder text, String name, String labels, long value) {
        text.append(name);
        if (labels != null) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ').append(value).append('\n');
    }

    private static void sample(StringBuilder text, String name, String labels, double value) {
        text.append(name);
        if (labels != null) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            text.append((long) value);
        } else {
            text.append(value);
        }
        text.append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
