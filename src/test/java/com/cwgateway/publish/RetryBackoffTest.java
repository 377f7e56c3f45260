package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the backoff's javadoc promises: after the n-th failed flush in a row the next may run after
 * interval x 2^(n-1), capped at {@link RetryBackoff#MAX_DELAY} or the interval if longer, drawn from the upper
 * half of that delay; one success resets it. Clock values are passed in, so nothing here waits: the moment a
 * backoff becomes ready is found exactly by bisection, ready() being a pure function of its state.
 */
@Timeout(30)
class RetryBackoffTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /** The first moment at or after {@code from} at which {@code backoff} is ready, searching up to {@code to}. */
    private static long readyAt(RetryBackoff backoff, long from, long to) {
        assertTrue(backoff.ready(to), "not ready by " + to);
        long low = from;
        long high = to;
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (backoff.ready(middle)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /** Fails {@code failures} times at {@code now} and returns the wait the last failure set. */
    private static long waitAfter(RetryBackoff backoff, int failures, long now) {
        for (int i = 0; i < failures; i++) {
            backoff.failed(now);
        }
        return readyAt(backoff, now, now + Duration.ofDays(365).toNanos()) - now;
    }

    private static void assertInUpperHalf(long delay, long wait) {
        assertTrue(wait >= delay / 2 && wait <= delay, wait + " ns is not within [" + delay / 2 + ", " + delay + "]");
    }

    @Test
    void isReadyBeforeAnyFailureWhateverTheTime() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10));

        assertTrue(backoff.ready(0));
        assertTrue(backoff.ready(Long.MIN_VALUE));
        assertTrue(backoff.ready(Long.MAX_VALUE));
    }

    @Test
    void theWaitDoublesWithEachFailureInARowWithinTheUpperHalf() {
        for (int failures = 1; failures <= 8; failures++) {
            long delay = SECOND << (failures - 1);
            for (int draw = 0; draw < 20; draw++) {
                assertInUpperHalf(delay, waitAfter(new RetryBackoff(Duration.ofSeconds(1)), failures, 1_000 * SECOND));
            }
        }
    }

    /** 1 s x 2^9 = 512 s is the first delay past 300 s: from the 10th failure in a row on, the cap holds. */
    @Test
    void theWaitIsCappedAtFiveMinutes() {
        long cap = RetryBackoff.MAX_DELAY.toNanos();
        assertEquals(Duration.ofMinutes(5), RetryBackoff.MAX_DELAY);
        for (int failures : List.of(10, 11, 20, 31, 32, 64, 1000)) {
            assertInUpperHalf(cap, waitAfter(new RetryBackoff(Duration.ofSeconds(1)), failures, 0));
        }
    }

    /** An interval longer than the cap is the cap: a failure never brings the next flush sooner than usual. */
    @Test
    void anIntervalLongerThanTheCapIsTheCap() {
        long interval = Duration.ofMinutes(20).toNanos();
        for (int failures : List.of(1, 2, 5, 40)) {
            assertInUpperHalf(interval, waitAfter(new RetryBackoff(Duration.ofMinutes(20)), failures, 0));
        }
    }

    /** A day shifted 30 times overflows a long: that must read as the cap, not as a negative wait. */
    @Test
    void aDelayThatOverflowsIsTheCap() {
        long day = Duration.ofDays(1).toNanos();
        assertInUpperHalf(day, waitAfter(new RetryBackoff(Duration.ofDays(1)), 40, 0));
    }

    /**
     * A shift can also wrap to a small positive number, which "delay <= 0" does not catch: with an interval of
     * 47,279,000 ms (13 h 8 min, a valid METRICS_FLUSH_INTERVAL), interval << 24 is 94.5 s modulo 2^64, so the
     * 25th failure in a row would bring the next flush after 47 to 94 s instead of after 6.5 to 13 hours.
     */
    @Test
    void aDelayThatWrapsToASmallPositiveNumberIsTheCapToo() {
        Duration interval = Duration.ofMillis(47_279_000);
        for (int failures = 1; failures <= 40; failures++) {
            long wait = waitAfter(new RetryBackoff(interval), failures, 0);
            assertTrue(wait >= interval.toNanos() / 2, "after " + failures + " failures the wait is "
                    + Duration.ofNanos(wait) + ", less than half the interval " + interval);
        }
    }

    @Test
    void theJitterSpreadsOverTheUpperHalf() {
        long delay = 8 * SECOND;
        List<Long> waits = new ArrayList<>();
        for (int draw = 0; draw < 200; draw++) {
            waits.add(waitAfter(new RetryBackoff(Duration.ofSeconds(1)), 4, 0));
        }
        waits.forEach(wait -> assertInUpperHalf(delay, wait));
        // 200 independent uniform draws: all in one quarter of the range has probability 2^-199.
        assertTrue(waits.stream().anyMatch(wait -> wait < delay * 3 / 4), "no draw in [1/2, 3/4) of the delay");
        assertTrue(waits.stream().anyMatch(wait -> wait > delay * 3 / 4), "no draw in (3/4, 1] of the delay");
    }

    @Test
    void oneSuccessResetsIt() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1));
        waitAfter(backoff, 6, 0);
        assertFalse(backoff.ready(SECOND));

        backoff.succeeded();

        assertTrue(backoff.ready(SECOND), "ready at once after a success");
        assertInUpperHalf(SECOND, waitAfter(backoff, 1, 2 * SECOND));
    }

    /** System.nanoTime() may be near the end of the long range: the wait is measured by difference. */
    @Test
    void worksAcrossTheWrapOfTheNanosecondClock() {
        RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(10));
        long now = Long.MAX_VALUE - 3 * SECOND;

        backoff.failed(now);

        assertFalse(backoff.ready(now + 4 * SECOND - 1), "5 s at least, past the wrap");
        assertTrue(backoff.ready(now + 10 * SECOND));
    }
}
