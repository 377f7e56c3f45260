package com.cwgateway.publish;

import com.cwgateway.ingest.InvalidInputException;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.wal.ReadResult;
import com.cwgateway.wal.Segment;
import com.cwgateway.wal.SpoolDirException;
import com.cwgateway.wal.WriteAheadLog;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Accepted points kept on disk in {@code SPOOL_DIR}, a {@link WriteAheadLog}: each request's body as accepted
 * ({@code DURABILITY=disk}), and datums carried forward from the buffer (after a flush that could not publish
 * everything, and at shutdown). A record holds the body's shape, the time it was received (to stamp datums sent
 * without a timestamp) and the JSON, so it reads back through the gateway's own reader; a carried record also
 * holds each datum's points, which a merged datum's JSON does not say.
 *
 * <p>Segments are sealed when a flush drains the buffer ({@link #seal()}) and deleted ({@link #trim()}) only once
 * what they hold is published or carried forward, and, for an earlier run's segment, once it is fully replayed.
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Spool.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte ONE_INPUT = 0;
    private static final byte BATCH = 1;
    /** Datums carried forward: after the header, their number and the points of each, then the JSON. */
    private static final byte CARRIED = 2;
    private static final int HEADER = 1 + Long.BYTES;

    private final WriteAheadLog log;
    /** Segments of earlier runs whose records are not all back in the buffer yet. */
    private final Set<Long> notReplayed = new HashSet<>();
    private final List<Segment> toReplay;
    /** What the next {@link #trim()} may delete: the segments sealed by the last {@link #seal()}, fully replayed. */
    private List<Segment> trimmable = List.of();

    private Spool(WriteAheadLog log) {
        this.log = log;
        this.toReplay = List.copyOf(log.sealed());
        toReplay.forEach(segment -> notReplayed.add(segment.sequence()));
    }

    /** Opens {@code SPOOL_DIR} for this gateway alone: checked, locked, its earlier segments kept to replay. */
    public static Spool open(Path dir) throws SpoolDirException {
        return new Spool(WriteAheadLog.open(dir));
    }

    public Path dir() {
        return log.dir();
    }

    /** Segments and bytes on disk, and the log's fsync figures, for the self-metrics. */
    public record Waiting(long segments, long bytes, long forces, double forceSeconds) {}

    public Waiting waiting() {
        return new Waiting(log.sealed().size() + 1L, log.bytesOnDisk(), log.forces(), log.forceNanos() / 1e9);
    }

    /** Appends a request's body and returns once it is forced to disk (with whatever else was appended meanwhile). */
    public void append(boolean batch, long receivedMillis, byte[] body, int length) throws IOException {
        byte[] head = new byte[HEADER];
        ByteBuffer.wrap(head).put(batch ? BATCH : ONE_INPUT).putLong(receivedMillis);
        log.append(head, body, length); // the body goes from its own array, not copied behind its head
    }

    /** Appends datums already accepted, as one PutMetricData input, forced to disk. */
    public void carry(String namespace, List<Datum> datums) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(HEADER + datums.size() * 104);
        ByteBuffer header = ByteBuffer.allocate(HEADER + Integer.BYTES + datums.size() * Long.BYTES);
        header.put(CARRIED).putLong(0).putInt(datums.size()); // every carried datum has its timestamp
        datums.forEach(datum -> header.putLong(datum.points()));
        bytes.write(header.array(), 0, header.capacity());
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            PutMetricDataJson.writeInput(json, namespace, datums);
        }
        log.append(bytes.toByteArray());
    }

    /**
     * Seals the current segment and remembers what a later {@link #trim()} may delete. Called with the buffer's
     * drain under the intake's exclusive lock, so the sealed segments hold exactly what the drained buffer held.
     */
    public synchronized void seal() throws IOException {
        trimmable = log.rotate().stream().filter(segment -> !notReplayed.contains(segment.sequence())).toList();
    }

    /** Deletes what the last {@link #seal()} sealed: its points are published or carried forward since. */
    public synchronized void trim() {
        try {
            log.delete(trimmable);
        } catch (IOException e) {
            LOG.warning("could not delete spool segments in " + log.dir() + " (" + e + "); they stay, and their "
                    + "points may be published again after a restart");
        }
        trimmable = List.of();
    }

    /** Where replayed points go: adds them, waiting for room; false when the gateway stops before they fit. */
    public interface Target {
        boolean add(List<PutMetricDataInput> inputs);
    }

    /**
     * Reads the segments earlier runs left back into {@code target}, oldest first; each counts as replayed once
     * all its records are in. Cut or corrupt records are skipped with a warning. Stops when the target does.
     */
    public void replay(Target target) {
        RecordClock received = new RecordClock();
        PutMetricDataReader reader = PutMetricDataReader.forAcceptedData(received);
        for (Segment segment : toReplay) {
            boolean[] stopped = {false};
            long[] points = {0};
            long[] unreadable = {0};
            ReadResult result;
            try {
                result = WriteAheadLog.read(segment.file(), payload -> {
                    if (stopped[0]) {
                        return;
                    }
                    List<PutMetricDataInput> inputs = decode(payload, reader, received);
                    if (inputs == null) {
                        unreadable[0]++;
                        return;
                    }
                    if (!target.add(inputs)) {
                        stopped[0] = true;
                        return;
                    }
                    points[0] += inputs.stream().mapToLong(input -> Datum.points(input.datums())).sum();
                });
            } catch (IOException e) {
                LOG.severe("cannot read spool segment " + segment.file() + " (" + e + "); it is kept for the next start");
                continue;
            }
            if (stopped[0]) {
                LOG.info("replay stopped by shutdown in " + segment.file() + "; it and the segments after it are "
                        + "kept and replayed at the next start");
                return;
            }
            if (result.skippedBytes() > 0 || unreadable[0] > 0) {
                LOG.warning("spool segment " + segment.file() + ": skipped " + result.tornBytes() + " bytes of a "
                        + "record cut short (written when the gateway was killed: it was never acknowledged), "
                        + result.corruptBytes() + " bytes of corrupt records, " + unreadable[0] + " records that do "
                        + "not read back; every other record was replayed");
            }
            synchronized (this) {
                notReplayed.remove(segment.sequence());
            }
            LOG.info("replayed " + DeliveryStats.format(points[0]) + " points from " + segment.file());
        }
    }

    private static List<PutMetricDataInput> decode(byte[] payload, PutMetricDataReader reader, RecordClock received) {
        ByteBuffer header = ByteBuffer.wrap(payload);
        byte shape = header.get();
        received.millis = header.getLong();
        long[] points = shape == CARRIED ? new long[header.getInt()] : null;
        for (int i = 0; points != null && i < points.length; i++) {
            points[i] = header.getLong();
        }
        byte[] body = Arrays.copyOfRange(payload, header.position(), payload.length);
        try {
            if (shape == BATCH) {
                return reader.readBatch(body, body.length);
            }
            PutMetricDataInput input = reader.readInput(body, body.length);
            return List.of(points == null ? input : withPoints(input, points));
        } catch (InvalidInputException e) {
            LOG.warning("a spool record does not read back: " + e.getMessage() + " " + e.problems());
            return null;
        }
    }

    /** The carried datums with the points they carried, which their JSON does not hold. */
    private static PutMetricDataInput withPoints(PutMetricDataInput input, long[] points) {
        if (input.datums().size() != points.length) {
            LOG.warning("a carried spool record holds " + input.datums().size() + " datums and the points of "
                    + points.length + "; its datums count one point a value");
            return input;
        }
        List<Datum> datums = new ArrayList<>(points.length);
        for (int i = 0; i < points.length; i++) {
            Datum d = input.datums().get(i);
            datums.add(new Datum(d.metricName(), d.dimensions(), d.value(), d.unit(), d.storageResolution(),
                    d.timestampMillis(), Math.max(points[i], Datum.pointsOf(d.value()))));
        }
        return new PutMetricDataInput(input.namespace(), datums);
    }

    /** Stamps datums of a replayed request that had no timestamp with the time that request was received. */
    private static final class RecordClock extends Clock {
        private long millis;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Override
    public void close() {
        try {
            log.close();
        } catch (IOException e) {
            LOG.warning("closing the spool in " + log.dir() + ": " + e);
        }
    }
}
