package com.cwgateway.buffer;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The bookkeeping both buffers share for a drained table: its bytes leave the budget part by part as parts
 * are settled, and the rest (the table's own structure, strings shared between its entries) once everything
 * is handed out or put back; its points count as held until handed out.
 */
abstract class DrainedParts implements Drained {

    private final ByteBudget budget;
    private final Set<DrainedParts> open;
    private final Set<Taken> unsettled = Collections.newSetFromMap(new IdentityHashMap<>());
    private long unhandedBytes;
    private volatile long unhandedPoints;
    private boolean done;

    /** Registers itself in {@code open} (the buffer's drains with points not yet handed out). */
    DrainedParts(ByteBudget budget, Set<DrainedParts> open, Generation<?> taken) {
        this.budget = budget;
        this.open = open;
        this.unhandedBytes = taken.bytes();
        this.unhandedPoints = taken.points();
        open.add(this);
    }

    /** The next part, its bytes being those of the entries it empties; null when nothing is left. */
    abstract Taken take(int maxDatums);

    /** Moves everything not handed out into the live buffer, each entry through {@link #movingBack} first. */
    abstract void putBackRest();

    /** Drops the table, so that what was handed out can be collected once settled. */
    abstract void forget();

    @Override
    public final synchronized Taken next(int maxDatums) {
        if (maxDatums < 1) {
            throw new IllegalArgumentException("maxDatums must be at least 1: " + maxDatums);
        }
        if (done) {
            return null;
        }
        Taken taken = take(maxDatums);
        if (taken == null) {
            finish();
            return null;
        }
        unhandedBytes -= taken.bytes();
        unhandedPoints -= taken.points();
        unsettled.add(taken);
        return taken;
    }

    @Override
    public final synchronized void settled(Taken taken) {
        if (unsettled.remove(taken)) {
            budget.release(taken.bytes());
        }
    }

    @Override
    public final synchronized void putBack() {
        if (!done) {
            putBackRest();
            finish();
        }
    }

    /**
     * Releases the bytes of an entry before the live buffer counts it again, so a buffer putting back a failed
     * flush never looks fuller than it is and refuses requests. What entries share stays counted until the end.
     */
    final void movingBack(long bytes) {
        unhandedBytes -= bytes;
        budget.release(bytes);
    }

    /** Points not yet handed out. */
    final long unhandedPoints() {
        return unhandedPoints;
    }

    private void finish() {
        done = true;
        forget();
        budget.release(unhandedBytes);
        unhandedBytes = 0;
        unhandedPoints = 0;
        open.remove(this);
    }
}
