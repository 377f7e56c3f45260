package com.cwgateway.publish;

/**
 * The time by which shutdown must be done, shared by everything that works towards it: unset while the
 * gateway runs, set once by the shutdown. A flush in progress reads it before every call and caps each call
 * with it, so it hands back what it could not have confirmed instead of being cut short.
 */
public final class Deadline {

    private volatile boolean set;
    private volatile long nanos;

    /** From now on, work must be done by {@code nanos} ({@link System#nanoTime()}). */
    public void set(long nanos) {
        this.nanos = nanos;
        this.set = true;
    }

    /** Nanoseconds left, or {@link Long#MAX_VALUE} while unset; never below 0. */
    public long leftNanos() {
        return set ? Math.max(0, nanos - System.nanoTime()) : Long.MAX_VALUE;
    }
}
