package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /metrics} ({@code POST} is ingestion): the gateway's own metrics in the Prometheus text format:
 * requests, what became of points, the buffer, flushes, PutMetricData calls, the spool, memory, the process.
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
        Exposition page = new Exposition();
        page.family("gateway_info", "gauge", "The gateway's version.")
                .sample("gateway_info", "version=\"" + Exposition.escape(version) + "\"", 1);
        requests(page);
        ledger(page);
        page.single("gateway_buffer_bytes", "gauge",
                        "Heap the buffer holds, as estimated: waiting for a flush, or taken by one and not yet settled.",
                        buffer.bytes())
                .single("gateway_buffer_capacity_bytes", "gauge", "MAX_BUFFER_BYTES, as in force.", buffer.maxBytes());
        calls(page);
        if (spool != null) { // a dry run (SINK=log) has none
            spool(page);
        }
        process(page);
        return page.toString();
    }

    private void requests(Exposition page) {
        page.family("gateway_requests_total", "counter", "HTTP requests by path, method and status.");
        requests.snapshot().forEach((key, count) -> page.sample("gateway_requests_total", "path=\""
                + Exposition.escape(key.path()) + "\",method=\"" + Exposition.escape(key.method()) + "\",status=\""
                + key.status() + "\"", count));
        page.family("gateway_request_duration_seconds", "histogram",
                "Time from a request's arrival to its answer, by path (the routed paths, every other one as other).");
        requests.durations().forEach((path, histogram) -> page.histogram("gateway_request_duration_seconds",
                "path=\"" + Exposition.escape(path) + "\"", histogram));
    }

    /** The ledger, in points (values clients sent): in = out + dropped + held, at every scrape. */
    private void ledger(Exposition page) {
        DeliveryStats.Snapshot ledger = delivery.snapshot();
        page.family("gateway_points_in_total", "counter",
                        "Points that came in: accepted from clients (answered 202), or replayed from SPOOL_DIR at start.")
                .sample("gateway_points_in_total", "source=\"accepted\"", ledger.accepted())
                .sample("gateway_points_in_total", "source=\"replayed\"", ledger.replayed())
                .family("gateway_points_out_total", "counter",
                        "Points that left: published (CloudWatch confirmed them), or spooled to SPOOL_DIR at shutdown.")
                .sample("gateway_points_out_total", "outcome=\"published\"", ledger.published())
                .sample("gateway_points_out_total", "outcome=\"spooled\"", ledger.spooled())
                .family("gateway_points_dropped_total", "counter", "Points dropped, by reason.");
        ledger.dropped().forEach((reason, points) -> page.sample("gateway_points_dropped_total",
                "reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\"", points));
        page.family("gateway_points_held", "gauge",
                        "Points held now: buffered, or in flight (handed to a PutMetricData call not yet settled).")
                .sample("gateway_points_held", "where=\"buffered\"", ledger.buffered())
                .sample("gateway_points_held", "where=\"in_flight\"", ledger.inFlight())
                .single("gateway_points_requeued_total", "counter",
                        "Points put back into the buffer after a failed or unstarted call, to be published later.",
                        ledger.retried())
                .single("gateway_points_possibly_duplicated_total", "counter",
                        "Points sent in calls whose outcome is unknown (timed out after sending): CloudWatch may hold them twice.",
                        ledger.possiblyDuplicated())
                .single("gateway_last_publish_timestamp_seconds", "gauge",
                        "When CloudWatch last confirmed points (unix time); 0 before it first did.",
                        delivery.lastPublishedMillis() / 1000.0);
    }

    private void calls(Exposition page) {
        page.family("gateway_flush_duration_seconds", "summary", "Time spent in flushes.")
                .sample("gateway_flush_duration_seconds_sum", null, delivery.flushSeconds())
                .sample("gateway_flush_duration_seconds_count", null, delivery.flushes())
                .family("gateway_putmetricdata_calls_total", "counter",
                        "PutMetricData calls by outcome: ok, or CloudWatch's error code.");
        delivery.calls().forEach((outcome, calls) -> page.sample("gateway_putmetricdata_calls_total",
                "outcome=\"" + Exposition.escape(outcome) + "\"", calls));
    }

    private void spool(Exposition page) {
        Spool.Waiting log = spool.waiting();
        page.single("gateway_spool_segments", "gauge", "Segment files of the spool's log in SPOOL_DIR.", log.segments())
                .single("gateway_spool_bytes", "gauge", "Bytes of the spool's log in SPOOL_DIR.", log.bytes())
                .single("gateway_spool_fsyncs_total", "counter",
                        "Forces of the spool's log to disk (one per group of requests).", log.forces())
                .single("gateway_spool_fsync_seconds_total", "counter", "Time spent forcing the spool's log to disk.",
                log.forceSeconds());
    }

    /** The JVM's heap, and the process figures every Prometheus client exports (those this OS gives). */
    private static void process(Exposition page) {
        Runtime runtime = Runtime.getRuntime();
        page.family("jvm_memory_used_bytes", "gauge", "Heap in use.")
                .sample("jvm_memory_used_bytes", "area=\"heap\"", runtime.totalMemory() - runtime.freeMemory())
                .family("jvm_memory_max_bytes", "gauge", "The most heap the JVM may use.")
                .sample("jvm_memory_max_bytes", "area=\"heap\"", runtime.maxMemory());
        ProcessStats process = ProcessStats.now();
        optional(page, "process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds.",
                process.cpuSeconds());
        optional(page, "process_start_time_seconds", "gauge", "When the process started (unix time).",
                process.startTimeSeconds());
        optional(page, "process_resident_memory_bytes", "gauge", "Resident memory of the process.",
                process.residentBytes());
        optional(page, "process_virtual_memory_bytes", "gauge", "Virtual memory of the process.",
                process.virtualBytes());
        optional(page, "process_open_fds", "gauge", "Open file descriptors.", process.openFds());
        optional(page, "process_max_fds", "gauge", "The most file descriptors the process may open.",
                process.maxFds());
    }

    /** A family of one sample, left off when the figure could not be read (negative). */
    private static void optional(Exposition page, String name, String type, String help, double value) {
        if (value >= 0) {
            page.single(name, type, help, value);
        }
    }
}
