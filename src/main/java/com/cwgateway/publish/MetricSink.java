package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;

/** Where flushed datums go: one call publishes one chunk that fits in a single PutMetricData request. */
public interface MetricSink extends AutoCloseable {

    /**
     * Publishes one chunk, giving up after {@code timeLimit}; says how sure it is that the chunk was stored once.
     *
     * @throws PublishException when the chunk was not accepted; the caller keeps it
     */
    Published publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException;

    /**
     * A chunk the sink published. {@code unknownAttempts} (0 normally) counts further attempts that may have stored
     * it too (unanswered, or a success answer cut off), so its points may be there up to {@code 1 + unknownAttempts}
     * times.
     */
    record Published(int unknownAttempts) {

        /** Published, and stored once. */
        public static final Published ONCE = new Published(0);

        public Published {
            if (unknownAttempts < 0) {
                throw new IllegalArgumentException("unknownAttempts must not be negative: " + unknownAttempts);
            }
        }
    }

    /** Logs whether the sink will be able to publish (e.g. that credentials resolve); called once after start. */
    default void selfCheck() {}

    /** What the start-up summary says of this sink: its kind, and where it sends (no secrets). */
    String describe();

    @Override
    void close();
}
