package com.cwgateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that request bodies take: a budget for all of them at once.
 *
 * <p>The budget ({@code MAX_BODY_MEMORY_BYTES}): bodies are read whole before they are parsed, and while two
 * are parsed the others wait with theirs in memory: 512 requests of 4 MiB each would want 2 GiB. A request
 * reserves its body's size before the body is read, and one that would pass the budget is refused with 503
 * and Retry-After instead of running the JVM out of memory with accepted data in the buffer.
 */
final class BodyMemory {

    private final long maxBytes;
    private final AtomicLong reserved = new AtomicLong();

    BodyMemory(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** Reserves {@code bytes}, or nothing (returning false) when they would pass the budget. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            // One body alone is always admitted: MAX_BODY_BYTES already bounds it.
            if (now > 0 && now + bytes > maxBytes) {
                return false;
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        reserved.addAndGet(-bytes);
    }
}
