package com.cwgateway.ingest;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.publish.DeliveryStats;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Where a validated request becomes accepted: its points are buffered and entered in the ledger as one step,
 * or none of them are. Once {@link #close() closed} (at shutdown, before the last flush), nothing more is
 * accepted, so no request can get a 202 for points that arrive after the buffer was drained for the last time.
 */
public final class Intake {

    /** What became of a request. */
    public enum Outcome { ACCEPTED, BUFFER_FULL, TOO_MANY_SERIES, CLOSED }

    private final MetricBuffer buffer;
    private final SeriesLimit series;
    private final DeliveryStats ledger;
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private boolean closed;

    public Intake(MetricBuffer buffer, SeriesLimit series, DeliveryStats ledger) {
        this.buffer = buffer;
        this.series = series;
        this.ledger = ledger;
    }

    public Outcome accept(List<MetricBatch> batches) {
        gate.readLock().lock();
        try {
            if (closed) {
                return Outcome.CLOSED;
            }
            switch (buffer.tryAdd(batches, () -> series.admit(batches))) {
                case NONE_BUFFER_FULL -> {
                    return Outcome.BUFFER_FULL;
                }
                case NONE_NOT_ADMITTED -> {
                    return Outcome.TOO_MANY_SERIES;
                }
                case ALL -> {
                    for (MetricBatch batch : batches) {
                        ledger.accepted(Datum.samples(batch.datums()));
                    }
                    return Outcome.ACCEPTED;
                }
            }
            throw new AssertionError();
        } finally {
            gate.readLock().unlock();
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

    public long maxSeries() {
        return series.max();
    }
}
