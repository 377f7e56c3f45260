package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Accepted datums waiting for the next flush. Requests add without waiting on a flush; the flusher takes
 * what is there, part by part. Memory is bounded by {@code MAX_BUFFER_BYTES}, an estimate of the heap held
 * ({@link HeapEstimate}) that counts what a flush has taken until it is settled: a request that would pass
 * it is refused whole, while data coming back from a failed publish is always taken (accepted data is never
 * dropped to make room).
 */
public interface MetricBuffer {

    /** What became of a request's batches: all added, or none, and why. */
    enum Added { ALL, NONE_BUFFER_FULL, NONE_NOT_ADMITTED }

    /**
     * Adds every datum of {@code batches}, or none of them: none when the buffer is full, or when {@code admit}
     * says no. It is asked only once room is reserved, so a request refused for room is never counted by it
     * (the series guard: an outage that fills the buffer must not use up the series cap as well).
     */
    Added tryAdd(List<MetricBatch> batches, BooleanSupplier admit);

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
