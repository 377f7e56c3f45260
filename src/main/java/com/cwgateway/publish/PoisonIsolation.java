package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Finds the datums CloudWatch rejects in a chunk it refused with a 400, within a budget of calls per run: the
 * datum the message names is dropped alone; otherwise the chunk is halved until each rejected datum is alone.
 * A refusal of the whole request (its namespace, say) drops the chunk at once. Only datums refused alone, or
 * named, are dropped: a chunk left unsearched goes back to the buffer for the next run.
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
        if (rejection.refusesWholeRequest()) {
            run.dropRejected(namespace, chunk, rejection, "CloudWatch refuses the request as a whole, not a datum in it");
            return;
        }
        OptionalInt named = rejection.rejectedDatum();
        if (chunk.size() == 1) {
            run.dropRejected(namespace, chunk.getFirst(), rejection);
            return;
        }
        if (named.isPresent() && named.getAsInt() < chunk.size() && spend(1)) {
            // CloudWatch named the datum: drop it alone and send the rest again.
            int index = named.getAsInt();
            run.dropRejected(namespace, chunk.get(index), rejection);
            List<Datum> rest = new ArrayList<>(chunk);
            rest.remove(index);
            run.publishChunk(namespace, rest);
            return;
        }
        if (!spend(2)) {
            run.requeueUnsearched(namespace, chunk, rejection);
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
