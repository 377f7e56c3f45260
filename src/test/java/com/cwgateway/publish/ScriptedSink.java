package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;

/**
 * A sink whose calls are answered by a script and recorded in a list the test holds. Calls from several
 * threads (a final flush publishes in parallel) are numbered and recorded under the list's lock.
 */
final class ScriptedSink implements MetricSink {

    /**
     * The answer to the {@code call}-th call (from 1) with its chunk: a {@link MetricSink.Published}, or a
     * {@link PublishException} or {@link RuntimeException} to throw. It may block, as a slow CloudWatch does.
     */
    interface Script {
        Object answer(int call, List<Datum> chunk) throws InterruptedException;
    }

    private final List<List<Datum>> calls;
    private final Script script;

    /** Records each call's chunk in {@code calls}, which should be synchronized if calls may come in parallel. */
    ScriptedSink(List<List<Datum>> calls, Script script) {
        this.calls = calls;
        this.script = script;
    }

    @Override
    public Published publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException {
        int call;
        synchronized (calls) {
            calls.add(List.copyOf(chunk));
            call = calls.size();
        }
        Object answer;
        try {
            answer = script.answer(call, chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishException("Interrupted", PublishException.Kind.TRANSIENT, "interrupted", e);
        }
        if (answer instanceof PublishException failure) {
            throw failure;
        }
        if (answer instanceof RuntimeException unexpected) {
            throw unexpected;
        }
        return (Published) answer;
    }

    @Override
    public String describe() {
        return "scripted";
    }

    @Override
    public void close() {}
}
