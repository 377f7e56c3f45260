package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.ingest.InvalidInputException;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.publish.DeliveryStats;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /metrics} (one PutMetricData input) and {@code POST /batch} (an array of them): read, validate
 * the whole body, and only then buffer all of it and answer 202, so a request is accepted whole or not at all.
 */
final class IngestHandler implements Router.Handler {

    /** The body shapes the two endpoints take. */
    enum Shape { SINGLE, BATCH }

    private final Shape shape;
    private final PutMetricDataReader reader;
    private final MetricBuffer buffer;
    private final DeliveryStats stats;
    private final int maxBodyBytes;
    /** When a full buffer may have room again: after the next flush. */
    private final long retryAfterSeconds;

    IngestHandler(Shape shape, PutMetricDataReader reader, MetricBuffer buffer, DeliveryStats stats, int maxBodyBytes,
                  Duration flushInterval) {
        this.shape = shape;
        this.reader = reader;
        this.buffer = buffer;
        this.stats = stats;
        this.maxBodyBytes = maxBodyBytes;
        this.retryAfterSeconds = Math.max(1, (flushInterval.toMillis() + 999) / 1000);
    }

    @Override
    public void handle(HttpExchange exchange) throws HttpError, IOException {
        byte[] body = RequestBodies.readJson(exchange, maxBodyBytes);
        List<MetricBatch> batches;
        try {
            batches = shape == Shape.SINGLE ? List.of(reader.readInput(body)) : reader.readBatch(body);
        } catch (InvalidInputException e) {
            throw new HttpError(400, e.error(), e.getMessage(), e.problems(), Map.of());
        }
        if (!buffer.tryAdd(batches)) {
            throw new HttpError(503, "BufferFull", "the gateway holds as many points as MAX_BUFFERED_POINTS allows "
                    + "(CloudWatch is slow or unreachable); nothing of this request was accepted: retry after "
                    + retryAfterSeconds + " s", List.of(), Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
        }
        int datums = 0;
        for (MetricBatch batch : batches) {
            datums += batch.datums().size();
            stats.accepted(Datum.samples(batch.datums()));
        }
        Responses.json(exchange, 202, Responses.accepted(datums));
    }
}
