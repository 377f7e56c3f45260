package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.List;

/**
 * Accepted datums waiting for the next flush, which takes them part by part. Memory is bounded by
 * {@code MAX_BUFFER_BYTES} of estimated heap ({@link HeapEstimate}), counting what a flush took until it is
 * settled: a request that would pass it is refused whole, but data back from a failed publish is always taken.
 */
public interface MetricBuffer {

    /**
     * Reserves the most that adding all of {@code inputs} could take, or returns null when that does not fit.
     * The reservation holds the current table (a drain waits) while the caller asks what else must agree (the
     * series cap, the spool), then is committed or closed on the same thread: so a request refused for room
     * never counts against the series cap, which an outage filling the buffer must not use up too.
     */
    Reservation reserve(List<PutMetricDataInput> inputs);

    /** Room reserved for one request's datums. */
    interface Reservation extends AutoCloseable {
        /** Adds the datums; what they really take replaces the reservation. */
        void commit();

        /** Gives the room back, unless committed. */
        @Override
        void close();
    }

    /** Adds every datum of {@code inputs} if they fit (a reservation committed at once); false if not. */
    default boolean tryAdd(List<PutMetricDataInput> inputs) {
        try (Reservation reservation = reserve(inputs)) {
            if (reservation == null) {
                return false;
            }
            reservation.commit();
            return true;
        }
    }

    /** Puts back datums whose publish failed, merging with newer data where that is lossless; always taken. */
    void requeue(String namespace, List<Datum> datums);

    /** Takes everything buffered now; it stays counted against the budget until each taken part is settled. */
    Drained drain();

    /** Estimated heap held, including drained parts not yet settled. */
    long bytes();

    /** {@code MAX_BUFFER_BYTES}. */
    long maxBytes();

    /** Points held ({@link Datum#points()}), live and drained but not yet handed out. */
    long points();
}
