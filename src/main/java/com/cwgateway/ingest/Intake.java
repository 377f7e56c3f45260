package com.cwgateway.ingest;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.Taken;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.FlushSource;
import com.cwgateway.publish.Spool;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.logging.Logger;

/**
 * Where a validated request becomes accepted: with {@code DURABILITY=disk} its body is forced to the spool,
 * its points are buffered and entered in the ledger, as one step, or none of it happens. Requests (and
 * replay) take the shared side of one lock; a flush's drain, with the spool's seal, takes the exclusive side,
 * so a sealed segment holds exactly what the drained buffer held. Once {@link #close() closed} (at shutdown,
 * before the last flush), nothing more is accepted, so no 202 is given for points the last flush could miss.
 */
public final class Intake implements FlushSource {

    private static final Logger LOG = Logger.getLogger(Intake.class.getName());
    private static final int CARRIED_PART = 1000;
    private static final long REPLAY_WAIT_MILLIS = 100;
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** What became of a request. */
    public enum Outcome { ACCEPTED, BUFFER_FULL, TOO_MANY_SERIES, SPOOL_FAILED, CLOSED }

    private final MetricBuffer buffer;
    private final SeriesLimit series;
    private final DeliveryStats ledger;
    /** Null for a dry run ({@code SINK=log}), which leaves SPOOL_DIR alone. */
    private final Spool spool;
    /** {@code DURABILITY=disk}: every request is forced to the spool before its 202. */
    private final boolean appendRequests;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    /**
     * One carry-forward or trim of the spool at a time: a seal and trim between a carry's drain and its write
     * could delete a segment whose points are drained but not yet written again (a late flush once did that).
     */
    private final ReentrantLock carrying = new ReentrantLock();
    /** Written under the gate's exclusive side; read without it by a flush that ends. */
    private volatile boolean closed;
    /** Set at shutdown when a call outlived the deadline and every segment is kept for its points. */
    private volatile boolean inFlightKept;
    private volatile long lastFailureLogged = System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS;

    public Intake(MetricBuffer buffer, SeriesLimit series, DeliveryStats ledger, Spool spool, boolean appendRequests) {
        this.buffer = buffer;
        this.series = series;
        this.ledger = ledger;
        this.spool = spool;
        this.appendRequests = appendRequests && spool != null;
    }

    /**
     * Accepts a request's inputs (read from the first {@code length} bytes of {@code body}) whole or not at all:
     * room in the buffer, the series cap, then (with DURABILITY=disk) the spool, then the buffer and the ledger.
     */
    public Outcome accept(List<PutMetricDataInput> inputs, byte[] body, int length, boolean batchShape) {
        gate.readLock().lock();
        try (MetricBuffer.Reservation room = closed ? null : buffer.reserve(inputs)) {
            if (closed) {
                return Outcome.CLOSED;
            }
            if (room == null) {
                return Outcome.BUFFER_FULL;
            }
            try (SeriesLimit.Admission admitted = series.admit(inputs)) {
                if (admitted == null) {
                    return Outcome.TOO_MANY_SERIES;
                }
                if (appendRequests && !append(body, length, batchShape)) {
                    return Outcome.SPOOL_FAILED; // closing the admission gives its series back
                }
                admitted.commit();
            }
            room.commit();
            for (PutMetricDataInput input : inputs) {
                ledger.accepted(Datum.points(input.datums()));
            }
            return Outcome.ACCEPTED;
        } finally {
            gate.readLock().unlock();
        }
    }

    private boolean append(byte[] body, int length, boolean batchShape) {
        try {
            spool.append(batchShape, System.currentTimeMillis(), body, length);
            return true;
        } catch (IOException e) {
            long now = System.nanoTime();
            if (now - lastFailureLogged >= FAILURE_LOG_INTERVAL_NANOS) {
                lastFailureLogged = now;
                LOG.warning("cannot write requests to the spool in " + spool.dir() + " (" + e.getMessage() + "): "
                        + "they get 503 until it works again (free disk space, or fix the directory)");
            }
            return false;
        }
    }

    /** Adds points replayed from the spool, waiting for room; false once the intake is closed. */
    public boolean addReplayed(List<PutMetricDataInput> inputs) {
        while (true) {
            gate.readLock().lock();
            try {
                if (closed) {
                    return false;
                }
                if (buffer.tryAdd(inputs)) {
                    for (PutMetricDataInput input : inputs) {
                        ledger.replayed(Datum.points(input.datums()));
                    }
                    return true;
                }
            } finally {
                gate.readLock().unlock();
            }
            try {
                Thread.sleep(REPLAY_WAIT_MILLIS); // the buffer is full: the rest waits on disk for a flush
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public Drained drain() {
        gate.writeLock().lock();
        try {
            seal();
            return buffer.drain();
        } finally {
            gate.writeLock().unlock();
        }
    }

    private void seal() {
        if (spool == null) {
            return;
        }
        try {
            spool.seal();
        } catch (IOException e) {
            LOG.warning("cannot start a new spool segment in " + spool.dir() + " (" + e.getMessage() + "); older "
                    + "segments are kept until it works");
        }
    }

    /**
     * Trims the spool after a clean run, carries the buffer forward after one that put points back. Once closed it
     * does neither: the spool is then {@link #spoolWhatIsLeft()}'s, and a flush ending later must not delete it.
     */
    @Override
    public void runEnded(boolean clean) {
        if (spool == null || closed || (!clean && !appendRequests)) {
            return;
        }
        carrying.lock();
        try {
            if (closed) {
                return;
            }
            if (clean) {
                spool.trim();
            } else {
                carryForwardLocked(false, true);
            }
        } finally {
            carrying.unlock();
        }
    }

    /**
     * Writes everything buffered into a new spool segment, then (if {@code trim}) deletes the older ones, so the
     * log does not grow with an outage; at shutdown the points leave the buffer as spooled. Returns false, keeping
     * the older segments, when a write failed or the intake closed during a carry that is not the shutdown's.
     */
    private boolean carryForwardLocked(boolean shutdown, boolean trim) {
        Drained all;
        gate.writeLock().lock();
        try {
            seal();
            all = buffer.drain();
        } finally {
            gate.writeLock().unlock();
        }
        for (Taken part = all.next(CARRIED_PART); part != null; part = all.next(CARRIED_PART)) {
            if (!shutdown && closed) { // shutdown has begun: it carries everything left, so stop and make way
                buffer.requeue(part.namespace(), part.datums());
                all.settled(part);
                all.putBack();
                return false;
            }
            boolean written = carry(part);
            if (!shutdown) {
                buffer.requeue(part.namespace(), part.datums());
            } else {
                ledger.handedOut(part.points());
                if (written || appendRequests) { // not written: its requests are still in the older segments
                    ledger.spooled(part.points());
                } else {
                    ledger.dropped(DeliveryStats.DropReason.NOT_SPOOLED, part.points());
                }
            }
            all.settled(part);
            if (!written) {
                all.putBack();
                return false;
            }
        }
        if (trim) {
            spool.trim();
        }
        return true;
    }

    private boolean carry(Taken part) {
        try {
            spool.carry(part.namespace(), part.datums());
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot carry buffered points forward into the spool in " + spool.dir() + " ("
                    + e.getMessage() + "); the older segments that hold them are kept");
            return false;
        }
    }

    /** Accepts nothing more; returns once every request being accepted has finished. */
    public void close() {
        gate.writeLock().lock();
        try {
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
    }

    /**
     * At shutdown, after the last flush: writes what CloudWatch has not confirmed to the spool for the next start
     * and deletes what is published. Every point left leaves the ledger as spooled, or dropped if it cannot be.
     */
    public void spoolWhatIsLeft() {
        if (spool == null) {
            dropLeft("SPOOL_DIR is not used by a dry run (SINK=log)");
            return;
        }
        carrying.lock(); // a carry that a late flush started is finished first
        try {
            spoolWhatIsLeftLocked();
        } finally {
            carrying.unlock();
        }
    }

    private void spoolWhatIsLeftLocked() {
        DeliveryStats.Snapshot now = ledger.snapshot();
        boolean stuck = now.inFlight() > 0;
        if (stuck && appendRequests) {
            inFlightKept = true;
            // A flush that did not end by the deadline holds points that only the older segments have: trimming
            // them would lose those points. Every buffered point is in those segments too: keep them all.
            LOG.severe(DeliveryStats.format(now.inFlight()) + " points were in a call that did not end by the "
                    + "shutdown deadline; the spool keeps every segment, so they are published again at the next start"
                    + " (some of them may be published twice)");
            if (now.buffered() > 0) {
                drainToLedger(now.buffered(), null);
            }
            return;
        }
        if (stuck) {
            LOG.severe(DeliveryStats.format(now.inFlight()) + " points were in a call that did not end by the "
                    + "shutdown deadline; with DURABILITY=memory only those replayed from the spool are kept (its "
                    + "segments are not deleted), the others are lost");
        }
        if (now.buffered() == 0) {
            if (!stuck) {
                seal();
                spool.trim();
            }
            return;
        }
        if (carryForwardAtShutdown(now, !stuck)) {
            LOG.warning("CloudWatch did not confirm " + DeliveryStats.format(now.buffered()) + " points by the "
                    + "shutdown deadline; wrote them to " + spool.dir() + " for the next start");
        }
    }

    private boolean carryForwardAtShutdown(DeliveryStats.Snapshot now, boolean trim) {
        if (carryForwardLocked(true, trim)) {
            return true;
        }
        long left = ledger.snapshot().buffered();
        if (appendRequests) {
            // Every accepted request is in the older segments, which were kept: nothing is lost.
            drainToLedger(left, null);
            LOG.warning(DeliveryStats.format(left) + " points stay in the older segments of " + spool.dir()
                    + " for the next start (some of them may be published twice)");
        } else {
            dropLeft("they could not be written to " + spool.dir() + ": make SPOOL_DIR writable");
        }
        return false;
    }

    private void dropLeft(String why) {
        long left = ledger.snapshot().buffered();
        if (left > 0) {
            drainToLedger(left, DeliveryStats.DropReason.NOT_SPOOLED);
            LOG.severe(DeliveryStats.format(left) + " points were not delivered by the shutdown deadline and are "
                    + "lost: " + why);
        }
    }

    /** Empties the buffer at shutdown: the points leave the ledger as spooled, or dropped for {@code reason}. */
    private void drainToLedger(long points, DeliveryStats.DropReason reason) {
        Drained all = buffer.drain();
        for (Taken part = all.next(Integer.MAX_VALUE); part != null; part = all.next(Integer.MAX_VALUE)) {
            all.settled(part);
        }
        ledger.handedOut(points);
        if (reason == null) {
            ledger.spooled(points);
        } else {
            ledger.dropped(reason, points);
        }
    }

    /** Whether points still in a call at shutdown are kept in the spool, so the stop line does not call them lost. */
    public boolean inFlightKeptInSpool() {
        return inFlightKept;
    }

    /** For tests: whether a thread waits for a carry or trim in progress to end. */
    boolean spoolAwaited() {
        return carrying.hasQueuedThreads();
    }

    public long maxSeries() {
        return series.max();
    }
}
