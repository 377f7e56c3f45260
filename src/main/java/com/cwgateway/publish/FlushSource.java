package com.cwgateway.publish;

import com.cwgateway.buffer.Drained;

/** Where a flush run takes its data from, and tells how it ended, so the spool can forget what was published. */
public interface FlushSource {

    /** Drains the buffer for one run (sealing the spool's current segment with it). */
    Drained drain();

    /**
     * The run has ended; {@code clean}: every point it took was published or dropped, none put back. The spool
     * may then delete what it sealed for the run; otherwise it carries what the buffer holds forward first.
     */
    void runEnded(boolean clean);
}
