package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;

/** Where flushed datums go: one call publishes one chunk that fits in a single PutMetricData request. */
public interface MetricSink extends AutoCloseable {

    /**
     * Publishes one chunk, giving up after {@code timeLimit}.
     *
     * @throws PublishException when the chunk was not accepted; the caller keeps it
     */
    void publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException;

    @Override
    void close();
}
