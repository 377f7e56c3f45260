package com.cwgateway.buffer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The estimated heap a buffer holds, buffered or taken by a flush and not yet settled, against
 * {@code MAX_BUFFER_BYTES}. A request reserves the most it could add first, so concurrent requests cannot
 * together pass the cap; what it really added then replaces the reservation.
 */
final class ByteBudget {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    ByteBudget(long max) {
        this.max = max;
    }

    /** Reserves {@code bytes} if they fit under the cap with everything held; false if not. */
    boolean tryReserve(long bytes) {
        while (true) {
            long current = held.get();
            if (current + bytes > max) {
                return false;
            }
            if (held.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /** Adds bytes regardless of the cap (data coming back from a failed publish, or a reservation passed). */
    void add(long bytes) {
        held.addAndGet(bytes);
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long max() {
        return max;
    }
}
