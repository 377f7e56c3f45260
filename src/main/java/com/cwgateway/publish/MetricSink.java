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

    /** Logs whether the sink will be able to publish (e.g. that credentials resolve); called once after start. */
    default void selfCheck() {}

    /** What the start-up summary says of this sink: its kind, and where it sends (no secrets). */
    String describe();

    @Override
    void close();
}
