package com.cwgateway.buffer;

/**
 * What one drain took from the buffer, handed out in parts so that publishing never holds more than a few
 * parts beside the table. What it holds stays counted against the buffer's budget until each part is settled.
 */
public interface Drained {

    /** The next datums of one namespace, at most {@code maxDatums}, or null when all is handed out. */
    Taken next(int maxDatums);

    /** The outcome of a taken part is known (published, dropped, or requeued): its bytes leave the budget. */
    void settled(Taken taken);

    /** Puts back into the live buffer everything not yet handed out (after a failure or at a deadline). */
    void putBack();
}
