package com.cwgateway.wal;

import java.util.concurrent.atomic.AtomicLong;

/** How many forces (fdatasync) the log made and the time they took, for the gateway to export. */
final class ForceStats {

    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    void add(long forceNanos) {
        forces.incrementAndGet();
        nanos.addAndGet(forceNanos);
    }

    long forces() {
        return forces.get();
    }

    long nanos() {
        return nanos.get();
    }
}
