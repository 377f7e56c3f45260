package com.cwgateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap all request bodies may take at once ({@code MAX_BODY_MEMORY_BYTES}): bodies are read whole before they
 * are parsed, so 512 requests of 4 MiB would want 2 GiB. A request reserves its body's size before reading it;
 * one past the budget gets 503 instead of running the JVM out of memory with accepted data in the buffer.
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
