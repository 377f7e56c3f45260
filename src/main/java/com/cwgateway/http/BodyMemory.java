package com.cwgateway.http;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that request bodies take: a budget for all of them at once, and arrays reused from one body to
 * the next.
 *
 * <p>The budget ({@code MAX_BODY_MEMORY_BYTES}): bodies are read whole before they are parsed, and while two
 * are parsed the others wait with theirs in memory: 512 requests of 4 MiB each would want 2 GiB. A request
 * reserves its body's size before the body is read, and one that would pass the budget is refused with 503
 * and Retry-After instead of running the JVM out of memory with accepted data in the buffer.
 *
 * <p>The arrays: bodies are the largest allocation under /batch load, and those waiting for a parser outlive
 * young collections and are copied at each (figures: bench/RESULTS.md). Bodies from {@value #SMALLEST_REUSED}
 * bytes to {@value #REUSED_SIZE} bytes are read into arrays of {@value #REUSED_SIZE} bytes that are given back
 * and reused, at most {@value #MOST_KEPT} of them (16 MiB); smaller bodies (cheap, and short-lived) and larger
 * ones get arrays of their own.
 */
final class BodyMemory {

    static final int REUSED_SIZE = 256 * 1024;
    static final int SMALLEST_REUSED = 16 * 1024;
    static final int MOST_KEPT = 64;

    private final long maxBytes;
    private final AtomicLong reserved = new AtomicLong();
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger kept = new AtomicInteger();

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

    /** An array for a body of {@code size} bytes, at least that long; give it back with {@link #giveBack}. */
    byte[] array(int size) {
        if (size < SMALLEST_REUSED || size > REUSED_SIZE) {
            return new byte[size];
        }
        byte[] array = free.poll();
        if (array == null) {
            return new byte[REUSED_SIZE];
        }
        kept.decrementAndGet();
        return array;
    }

    /** Takes back an array from {@link #array} once its body has been parsed. */
    void giveBack(byte[] array) {
        if (array.length != REUSED_SIZE) {
            return;
        }
        if (kept.incrementAndGet() > MOST_KEPT) {
            kept.decrementAndGet();
            return;
        }
        free.offer(array);
    }
}
