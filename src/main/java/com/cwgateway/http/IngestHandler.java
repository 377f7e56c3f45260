package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.ingest.InvalidInputException;
import com.cwgateway.ingest.NamespacePolicy;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.ingest.Intake;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.publish.DeliveryStats;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /metrics} (one PutMetricData input) and {@code POST /batch} (an array of them): read and
 * validate the whole body, check the namespaces and the series cap, and only then buffer all of it and
 * answer 202, so a request is accepted whole or not at all.
 */
public final class IngestHandler implements Router.Handler {

    /** The body shapes the two endpoints take. */
    enum Shape { SINGLE, BATCH }

    /**
     * What ingesting needs, from reading the body to counting what was accepted. {@code cpu} admits as many
     * requests to parsing at once as there are cores, first come first served: parsing never waits on I/O,
     * so more at once would only interleave them and make every one of them late. {@code bodyMemory} bounds
     * the bodies held meanwhile.
     */
    public record Pipeline(PutMetricDataReader reader, NamespacePolicy namespaces, Intake intake, MetricBuffer buffer,
                           DeliveryStats stats, int maxBodyBytes, Duration flushInterval, Semaphore cpu,
                           BodyMemory bodyMemory) {}

    private final Shape shape;
    private final Pipeline pipeline;
    /** When a full buffer may have room again: after the next flush. */
    private final String retryAfterSeconds;

    IngestHandler(Shape shape, Pipeline pipeline) {
        this.shape = shape;
        this.pipeline = pipeline;
        this.retryAfterSeconds = String.valueOf(Math.max(1, (pipeline.flushInterval().toMillis() + 999) / 1000));
    }

    @Override
    public void handle(HttpExchange exchange) throws HttpError, IOException {
        BodyMemory memory = pipeline.bodyMemory();
        long reserved = RequestBodies.expectedBytes(exchange, pipeline.maxBodyBytes());
        if (!memory.tryReserve(reserved)) {
            throw bodyMemoryFull(); // unread: the connection is closed after the answer
        }
        try {
            RequestBodies.Body body = RequestBodies.readJson(exchange, pipeline.maxBodyBytes(), memory);
            try {
                if (body.length() > reserved) { // a gzip body, larger once unpacked
                    if (!memory.tryReserve(body.length() - reserved)) {
                        throw bodyMemoryFull().afterBody();
                    }
                    reserved = body.length();
                }
                parse(exchange, body);
            } finally {
                memory.giveBack(body.bytes());
            }
        } finally {
            memory.release(reserved);
        }
    }

    private HttpError bodyMemoryFull() {
        return new HttpError(503, "Busy", "the request bodies being handled fill the memory set aside for them ("
                + pipeline.bodyMemory().maxBytes() + " bytes, MAX_BODY_MEMORY_BYTES); nothing of this request was "
                + "accepted: retry in a moment", List.of(), Map.of("Retry-After", "1"));
    }

    /**
     * Parses under the CPU gate, then accepts outside it: with DURABILITY=disk accepting waits for the spool's
     * force, and a request waiting on the disk must not hold a core's turn (group commit needs many waiting).
     */
    private void parse(HttpExchange exchange, RequestBodies.Body body) throws HttpError, IOException {
        List<MetricBatch> batches;
        pipeline.cpu().acquireUninterruptibly();
        try {
            batches = read(body);
        } catch (HttpError refused) {
            throw refused.afterBody();
        } finally {
            pipeline.cpu().release();
        }
        try {
            accept(exchange, body, batches);
        } catch (HttpError refused) {
            throw refused.afterBody();
        }
    }

    private List<MetricBatch> read(RequestBodies.Body body) throws HttpError {
        List<MetricBatch> batches;
        try {
            PutMetricDataReader reader = pipeline.reader();
            batches = shape == Shape.SINGLE ? List.of(reader.readInput(body.bytes(), body.length()))
                    : reader.readBatch(body.bytes(), body.length());
        } catch (InvalidInputException e) {
            throw new HttpError(400, e.error(), e.getMessage(), e.problems(), Map.of());
        }
        Set<String> refused = pipeline.namespaces().refused(batches);
        if (!refused.isEmpty()) {
            throw new HttpError(403, "NamespaceNotAllowed", "this gateway does not accept the namespaces "
                    + String.join(", ", refused) + " (ALLOWED_NAMESPACES)");
        }
        TokenStore.Scope scope = BearerAuth.scopeOfThisRequest();
        if (scope != null) {
            Set<String> outside = scope.namespaces().refused(batches);
            if (!outside.isEmpty()) {
                throw new HttpError(403, "NamespaceNotAllowed", "this token may not write the namespaces "
                        + String.join(", ", outside) + "; it may write " + String.join(", ", scope.patterns())
                        + " (AUTH_TOKENS_FILE)");
            }
        }
        return batches;
    }

    private void accept(HttpExchange exchange, RequestBodies.Body body, List<MetricBatch> batches)
            throws HttpError, IOException {
        switch (pipeline.intake().accept(batches, body.bytes(), body.length(), shape == Shape.BATCH)) {
            case ACCEPTED -> { }
            case TOO_MANY_SERIES -> throw new HttpError(429, "TooManySeries", "this request would take the "
                    + "gateway past " + pipeline.intake().maxSeries() + " distinct series in one flush interval "
                    + "(MAX_SERIES), a guard against runaway CloudWatch costs: use fewer distinct dimension "
                    + "values, or retry after " + retryAfterSeconds + " s", List.of(),
                    Map.of("Retry-After", retryAfterSeconds));
            case BUFFER_FULL -> throw new HttpError(503, "BufferFull", "the gateway holds as much data as "
                    + "MAX_BUFFER_BYTES allows (CloudWatch is slow or unreachable); nothing of this request was "
                    + "accepted: retry after " + retryAfterSeconds + " s", List.of(), Map.of("Retry-After", retryAfterSeconds));
            case SPOOL_FAILED -> throw new HttpError(503, "SpoolUnavailable", "the gateway cannot write to its "
                    + "spool (its disk may be full), and accepts only what it has on disk; nothing of this request "
                    + "was accepted: retry after " + retryAfterSeconds + " s", List.of(),
                    Map.of("Retry-After", retryAfterSeconds));
            case CLOSED -> throw new HttpError(503, "ShuttingDown", "the gateway is shutting down; nothing of this "
                    + "request was accepted: retry against another instance or after restart");
        }
        int datums = 0;
        for (MetricBatch batch : batches) {
            datums += batch.datums().size();
        }
        Responses.json(exchange, 202, Responses.accepted(datums));
    }
}
