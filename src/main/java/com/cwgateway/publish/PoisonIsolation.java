package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.util.List;

/**
 * Finds the datums CloudWatch rejects in a chunk it refused with a 400, within a budget of calls per flush
 * run, so that one bad datum costs a few calls rather than the flusher's whole time: halving the chunk
 * until each rejected datum is alone. When the budget is spent, what is still refused is dropped in one
 * line with CloudWatch's message.
 */
final class PoisonIsolation {

    /** Calls one run may spend isolating: enough for a few poison datums in chunks of 1000 (about 20 each). */
    static final int CALL_BUDGET = 64;

    private final FlushRun run;
    private int callsLeft = CALL_BUDGET;

    PoisonIsolation(FlushRun run) {
        this.run = run;
    }

    void isolate(String namespace, List<Datum> chunk, PublishException rejection) {
        if (chunk.size() == 1) {
            run.dropRejected(namespace, chunk.getFirst(), rejection);
            return;
        }
        if (!spend(2)) {
            run.dropRejected(namespace, chunk, rejection, "not isolated further: this flush spent its "
                    + CALL_BUDGET + " calls for finding rejected datums");
            return;
        }
        int half = chunk.size() / 2;
        run.publishChunk(namespace, chunk.subList(0, half));
        run.publishChunk(namespace, chunk.subList(half, chunk.size()));
    }

    private synchronized boolean spend(int calls) {
        if (callsLeft < calls) {
            return false;
        }
        callsLeft -= calls;
        return true;
    }
}
