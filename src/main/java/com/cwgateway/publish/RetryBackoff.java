package com.cwgateway.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the next flush may call CloudWatch after failures: exponential backoff with jitter across flushes,
 * on top of the SDK's own quick retries within a call. After the n-th failed flush in a row the next
 * attempt waits interval x 2^(n-1), at most {@link #MAX_DELAY} (or the interval, if longer), each delay
 * drawn from its upper half so that many gateways do not retry in step. One success resets it. An outage
 * then costs delay, not calls: a throttled account is not hammered every interval.
 */
final class RetryBackoff {

    static final Duration MAX_DELAY = Duration.ofMinutes(5);

    private final long intervalNanos;
    private final long maxNanos;
    private int failures;
    private long notBeforeNanos;

    RetryBackoff(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.maxNanos = Math.max(intervalNanos, MAX_DELAY.toNanos());
    }

    synchronized boolean ready(long nowNanos) {
        return failures == 0 || nowNanos - notBeforeNanos >= 0;
    }

    synchronized void failed(long nowNanos) {
        failures++;
        long delay = intervalNanos << Math.min(failures - 1, 30);
        delay = delay <= 0 || delay > maxNanos ? maxNanos : delay;
        notBeforeNanos = nowNanos + delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    synchronized void succeeded() {
        failures = 0;
    }
}
