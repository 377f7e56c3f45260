package com.cwgateway.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When the next flush may call CloudWatch after failures, on top of the SDK's quick retries within a call: after
 * the n-th failed flush in a row, interval x 2^(n-1), at most {@link #MAX_DELAY} (or the interval, if longer),
 * drawn from its upper half so that gateways do not retry in step. One success resets it. So an outage costs
 * delay, not calls: a throttled account is not hammered every interval.
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
        // Doubles up to the cap, compared before shifting: a shift that overflows may wrap to any value, even a
        // small positive one (a 13-hour interval retried after a minute at the 25th failure).
        int doublings = Math.min(failures - 1, 62);
        long delay = intervalNanos > maxNanos >> doublings ? maxNanos : intervalNanos << doublings;
        notBeforeNanos = nowNanos + delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    }

    synchronized void succeeded() {
        failures = 0;
    }
}
