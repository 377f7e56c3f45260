package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A sink still being built: the AWS SDK's client takes about half a second to set up, so it is built beside
 * the HTTP server instead of before it, and the gateway listens that much sooner. The first flush comes a
 * flush interval later; a publish before the client is ready waits for it.
 */
public final class DeferredSink implements MetricSink {

    private final CompletableFuture<MetricSink> building;

    public DeferredSink(CompletableFuture<MetricSink> building) {
        this.building = building;
    }

    @Override
    public Published publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException {
        return ready().publish(namespace, chunk, timeLimit);
    }

    private MetricSink ready() throws PublishException {
        try {
            return building.join();
        } catch (CompletionException e) {
            throw new PublishException("NoClient", PublishException.Kind.TRANSIENT,
                    "the CloudWatch client could not be set up: " + e.getCause(), e);
        }
    }

    @Override
    public String describe() {
        return building.join().describe();
    }

    @Override
    public void selfCheck() {
        building.join().selfCheck();
    }

    @Override
    public void close() {
        if (building.isDone() && !building.isCompletedExceptionally()) {
            building.join().close();
        }
    }
}
