package com.cwgateway.app;

import com.cwgateway.buffer.AggregatingBuffer;
import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.http.BodyMemory;
import com.cwgateway.http.HttpFrontEnd;
import com.cwgateway.http.IngestHandler;
import com.cwgateway.ingest.NamespacePolicy;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.ingest.SeriesLimit;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Flusher;
import com.cwgateway.publish.MetricSink;
import com.cwgateway.publish.Spool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;

/**
 * One running gateway: the HTTP front end feeding the buffer, the flusher moving the buffer to the sink,
 * and the spool that carries undelivered data across a restart. {@link #close()} is the shutdown sequence.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    /** The most of the shutdown budget that requests in progress may take; the rest is for the last flush. */
    private static final Duration MAX_REQUEST_DRAIN = Duration.ofSeconds(5);

    private final GatewayConfig config;
    private final MetricBuffer buffer;
    private final MetricSink sink;
    private final DeliveryStats stats;
    private final Flusher flusher;
    private final Spool spool;
    private final HttpFrontEnd http;
    private boolean closed;

    private Gateway(GatewayConfig config, MetricBuffer buffer, MetricSink sink, DeliveryStats stats, Flusher flusher,
                    Spool spool, HttpFrontEnd http) {
        this.config = config;
        this.buffer = buffer;
        this.sink = sink;
        this.stats = stats;
        this.flusher = flusher;
        this.spool = spool;
        this.http = http;
    }

    /**
     * Starts serving, then replays the spool, then starts flushing; the sink is closed with the gateway.
     * The spool is replayed only once the port is bound: replaying deletes its files, and a start that
     * then failed to listen would exit with their data in memory only.
     */
    public static Gateway start(GatewayConfig config, MetricSink sink, Clock clock) throws IOException {
        MetricBuffer buffer = config.aggregation()
                ? new AggregatingBuffer(config.maxBufferBytes())
                : new PassThroughBuffer(config.maxBufferBytes());
        DeliveryStats stats = new DeliveryStats();
        Spool spool = new Spool(config.spoolDir(), clock);
        Flusher flusher = new Flusher(buffer, sink, stats, config.flushInterval(), config.cloudWatchTimeout(), clock);
        IngestHandler.Pipeline pipeline = new IngestHandler.Pipeline(new PutMetricDataReader(clock),
                new NamespacePolicy(config.allowedNamespaces()),
                new SeriesLimit(config.maxSeries(), config.flushInterval(), clock),
                buffer, stats, config.maxBodyBytes(), config.flushInterval(),
                new Semaphore(Runtime.getRuntime().availableProcessors(), true),
                new BodyMemory(config.maxBodyMemoryBytes()));
        HttpFrontEnd http = HttpFrontEnd.start(config, pipeline, spool, Version.current());
        replay(spool, buffer, stats);
        flusher.start();
        return new Gateway(config, buffer, sink, stats, flusher, spool, http);
    }

    private static void replay(Spool spool, MetricBuffer buffer, DeliveryStats stats) {
        List<MetricBatch> spooled = spool.replay();
        double samples = 0;
        for (MetricBatch batch : spooled) {
            buffer.requeue(batch.namespace(), batch.datums());
            samples += Datum.samples(batch.datums());
        }
        if (samples > 0) {
            stats.replayed(samples);
            LOG.info("replayed " + DeliveryStats.format(samples) + " points from the spool in " + spool.dir()
                    + "; they are published with the next flush");
        }
    }

    public InetSocketAddress address() {
        return http.address();
    }

    public DeliveryStats stats() {
        return stats;
    }

    /**
     * Shuts down within {@code SHUTDOWN_TIMEOUT_MS}: stop taking connections and let requests in progress
     * finish, wait for a flush in progress, flush everything buffered; what CloudWatch did not take by then
     * goes to the spool. Then the sink is released and the totals logged.
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
        double left = flusher.close(deadline);
        if (left > 0) {
            spoolWhatIsLeft();
        }
        sink.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        if (left == 0) {
            LOG.info("stopped in " + tookMillis + " ms; everything accepted was delivered; " + stats.summary());
        } else {
            LOG.warning("stopped in " + tookMillis + " ms; " + DeliveryStats.format(left) + " accepted points were not delivered to "
                    + "CloudWatch (spooled, or dropped if the spool failed): " + stats.summary());
        }
    }

    private void spoolWhatIsLeft() {
        double samples = buffer.samples();
        Drained left = buffer.drain();
        try {
            Path file = spool.write(left);
            stats.spooled(samples);
            LOG.warning("CloudWatch did not take " + DeliveryStats.format(samples) + " points within SHUTDOWN_TIMEOUT_MS; spooled them to "
                    + file + " for the next start");
        } catch (IOException | RuntimeException | LinkageError e) {
            stats.dropped(DeliveryStats.DropReason.NOT_SPOOLED, samples);
            LOG.severe("CloudWatch did not take " + DeliveryStats.format(samples) + " points within SHUTDOWN_TIMEOUT_MS, and they could "
                    + "not be spooled to " + spool.dir() + " (" + e + "): they are lost. Make SPOOL_DIR writable.");
        } finally {
            left.putBack(); // nothing, unless writing failed: then the estimate stays true to what is held
        }
    }
}
