package com.cwgateway.app;

import com.cwgateway.buffer.AggregatingBuffer;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.http.HttpFrontEnd;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.publish.Flusher;
import com.cwgateway.publish.MetricSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * One running gateway: the HTTP front end feeding the buffer, and the flusher moving the buffer to the sink.
 * {@link #close()} is the shutdown sequence.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    /** The most of the shutdown budget that requests in progress may take; the rest is for the last flush. */
    private static final Duration MAX_REQUEST_DRAIN = Duration.ofSeconds(5);

    private final GatewayConfig config;
    private final MetricBuffer buffer;
    private final MetricSink sink;
    private final Flusher flusher;
    private final HttpFrontEnd http;
    private boolean closed;

    private Gateway(GatewayConfig config, MetricBuffer buffer, MetricSink sink, Flusher flusher, HttpFrontEnd http) {
        this.config = config;
        this.buffer = buffer;
        this.sink = sink;
        this.flusher = flusher;
        this.http = http;
    }

    /** Starts serving and flushing; the sink is closed with the gateway. */
    public static Gateway start(GatewayConfig config, MetricSink sink, Clock clock) throws IOException {
        MetricBuffer buffer = config.aggregation()
                ? new AggregatingBuffer(config.maxBufferedPoints())
                : new PassThroughBuffer(config.maxBufferedPoints());
        Flusher flusher = new Flusher(buffer, sink, config.flushInterval(), config.cloudWatchTimeout());
        HttpFrontEnd http = HttpFrontEnd.start(config, new PutMetricDataReader(clock), buffer);
        flusher.start();
        return new Gateway(config, buffer, sink, flusher, http);
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** How many points wait for the next flush. */
    public long bufferedPoints() {
        return buffer.points();
    }

    /**
     * Shuts down within {@code SHUTDOWN_TIMEOUT_MS}: stop taking connections and let requests in progress
     * finish, wait for a flush in progress, flush everything buffered, then release the sink. What could
     * not be delivered in time is logged.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        long deadline = started + config.shutdownTimeout().toNanos();
        Duration drain = config.shutdownTimeout().dividedBy(5);
        http.stop(drain.compareTo(MAX_REQUEST_DRAIN) < 0 ? drain : MAX_REQUEST_DRAIN);
        long left = flusher.close(deadline);
        sink.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        if (left == 0) {
            LOG.info("stopped in " + tookMillis + " ms; everything accepted was delivered");
        } else {
            LOG.warning("stopped in " + tookMillis + " ms; " + left + " accepted points were NOT delivered "
                    + "(CloudWatch did not take them within SHUTDOWN_TIMEOUT_MS)");
        }
    }
}
