package com.cwgateway.buffer;

/**
 * What one {@link MetricBuffer#drain()} took, handed out part by part so that publishing never needs the
 * whole table as datums at once. Its bytes stay counted against the budget until each part is settled.
 */
public interface Drained {

    /**
     * The next datums of one namespace, at most {@code maxDatums} (a series' values may split into several
     * datums of at most 150 values, kept in one part when they fit), or null when all is handed out.
     */
    Taken next(int maxDatums);

    /** The part was published, dropped or requeued: its bytes leave the budget (once; none of another drain). */
    void settled(Taken taken);

    /** Puts back into the live buffer everything not yet handed out (after a failure or at a deadline). */
    void putBack();
}
