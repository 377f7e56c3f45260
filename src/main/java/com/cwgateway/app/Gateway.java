package com.cwgateway.app;

import com.cwgateway.buffer.AggregatingBuffer;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.config.Durability;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.config.SinkKind;
import com.cwgateway.http.HttpFrontEnd;
import com.cwgateway.ingest.IngestService;
import com.cwgateway.ingest.Intake;
import com.cwgateway.ingest.NamespacePolicy;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.ingest.SeriesLimit;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Flusher;
import com.cwgateway.publish.MetricSink;
import com.cwgateway.publish.Spool;
import com.cwgateway.wal.SpoolDirException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * One running gateway: the HTTP front end feeding the intake (spool and buffer), the flusher moving the
 * buffer to the sink, and the spool that keeps what is not yet published across a crash or restart.
 * {@link #close()} is the shutdown sequence.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());

    /** The most of the shutdown budget that requests in progress may take; the rest is for the last flush. */
    private static final Duration MAX_REQUEST_DRAIN = Duration.ofSeconds(5);
    /** The end of the shutdown budget kept for writing the spool: a fifth of it, at least this long. */
    private static final Duration MIN_SPOOL_TIME = Duration.ofSeconds(1);
    private static final int SPOOL_SHARE_OF_BUDGET = 5;

    private final GatewayConfig config;
    private final Intake intake;
    private final MetricSink sink;
    private final DeliveryStats stats;
    private final Flusher flusher;
    private final Spool spool;
    private final HttpFrontEnd http;
    private Thread replay;
    private boolean closed;

    private Gateway(GatewayConfig config, Intake intake, MetricSink sink, DeliveryStats stats, Flusher flusher,
                    Spool spool, HttpFrontEnd http) {
        this.config = config;
        this.intake = intake;
        this.sink = sink;
        this.stats = stats;
        this.flusher = flusher;
        this.spool = spool;
        this.http = http;
    }

    /**
     * Opens the spool (a dry run, {@code SINK=log}, leaves it alone), starts serving and flushing; the sink is
     * closed with the gateway. Throws SpoolDirException when SPOOL_DIR cannot be used or another gateway holds it.
     */
    public static Gateway start(GatewayConfig config, MetricSink sink, Clock clock)
            throws IOException, SpoolDirException {
        Spool spool = config.sink() == SinkKind.LOG ? null : Spool.open(config.spoolDir());
        if (spool == null) {
            LOG.info("dry run (SINK=log): SPOOL_DIR " + config.spoolDir() + " is left alone" + waitingIn(config.spoolDir())
                    + "; points are kept in memory only");
        }
        try {
            MetricBuffer buffer = config.aggregation()
                    ? new AggregatingBuffer(config.maxBufferBytes())
                    : new PassThroughBuffer(config.maxBufferBytes());
            DeliveryStats stats = new DeliveryStats();
            Intake intake = new Intake(buffer, new SeriesLimit(config.maxSeries(), config.flushInterval(), clock),
                    stats, spool, config.durability() == Durability.DISK);
            Flusher flusher = new Flusher(buffer, intake, sink, stats, config.flushInterval(),
                    config.cloudWatchTimeout(), clock);
            IngestService ingest = new IngestService(new PutMetricDataReader(clock),
                    new NamespacePolicy(config.allowedNamespaces()), intake);
            HttpFrontEnd http = HttpFrontEnd.start(config, ingest, buffer, stats, spool, Version.current());
            flusher.start();
            return new Gateway(config, intake, sink, stats, flusher, spool, http);
        } catch (IOException | RuntimeException e) {
            if (spool != null) {
                spool.close();
            }
            throw e;
        }
    }

    /** ", where N segment files (B bytes) wait for a real run", or nothing. */
    private static String waitingIn(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> segments = files.filter(file -> file.getFileName().toString().startsWith("segment-")).toList();
            long bytes = segments.stream().mapToLong(file -> file.toFile().length()).sum();
            return segments.isEmpty() ? "" : ", where " + segments.size() + " segment files (" + bytes
                    + " bytes) wait for a real run";
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Reads what earlier runs left in the spool back into the buffer, in the background, as far as the buffer
     * has room. Call it once the shutdown hook is registered: a segment is deleted only once its points are
     * published or carried forward, so a stop at any moment keeps them.
     */
    public synchronized void startReplay() {
        if (spool != null && replay == null && !closed) {
            replay = Thread.ofPlatform().name("replay").start(() -> spool.replay(intake::addReplayed));
        }
    }

    public InetSocketAddress address() {
        return http.address();
    }

    /** Where the probes and the scrape are served ({@code ADMIN_PORT}), or null when they share the main port. */
    public InetSocketAddress adminAddress() {
        return http.adminAddress();
    }

    public DeliveryStats stats() {
        return stats;
    }

    /**
     * Shuts down within {@code SHUTDOWN_DELAY_MS} plus {@code SHUTDOWN_TIMEOUT_MS}: not ready for the delay, then
     * let requests in progress finish, close the intake (a request still being read gets 503), flush until the
     * budget less the spool's time, spool what CloudWatch has not confirmed, release the sink, log the ledger.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!config.shutdownDelay().isZero()) {
            // Kubernetes takes a pod out of its endpoints some seconds after SIGTERM: until then clients still
            // arrive, so /ready says draining while ingest goes on, then the listener closes.
            http.notReady();
            LOG.info("shutting down: /ready answers 503 draining; requests are taken for " + config.shutdownDelay()
                    .toMillis() + " ms more (SHUTDOWN_DELAY_MS)");
            try {
                Thread.sleep(config.shutdownDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long started = System.nanoTime();
        long budget = config.shutdownTimeout().toNanos();
        long deadline = started + budget;
        Duration drain = config.shutdownTimeout().dividedBy(5);
        http.stop(drain.compareTo(MAX_REQUEST_DRAIN) < 0 ? drain : MAX_REQUEST_DRAIN);
        intake.close();
        if (replay != null) {
            try {
                replay.join(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        flusher.close(deadline - Math.max(MIN_SPOOL_TIME.toNanos(), budget / SPOOL_SHARE_OF_BUDGET));
        intake.spoolWhatIsLeft();
        if (spool != null) {
            spool.close();
        }
        sink.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        DeliveryStats.Snapshot ledger = stats.snapshot();
        if (ledger.allDelivered()) {
            LOG.info("stopped in " + tookMillis + " ms; every accepted point was published; " + ledger.summary());
        } else {
            LOG.warning("stopped in " + tookMillis + " ms; " + ledger.outcome(intake.inFlightKeptInSpool()) + "; "
                    + ledger.summary());
        }
    }
}
