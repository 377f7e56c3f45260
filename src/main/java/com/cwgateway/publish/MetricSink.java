package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;

/** Where flushed datums go: one call publishes one chunk that fits in a single PutMetricData request. */
public interface MetricSink extends AutoCloseable {

    /**
     * Publishes one chunk, giving up after {@code timeLimit}.
     *
     * @return how sure it is that the chunk was stored once
     * @throws PublishException when the chunk was not accepted; the caller keeps it
     */
    Published publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException;

    /**
     * A chunk the sink published. {@code unknownAttempts} counts the attempts beyond the one that stored it that
     * may have stored it too: their request went out and no answer came (they timed out, or the connection
     * dropped), or a success answer came and was cut off before its end, so its points may be there up to
     * {@code 1 + unknownAttempts} times. 0 normally.
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
