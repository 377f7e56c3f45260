package com.cwgateway.buffer;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What one {@link MetricBuffer#drain()} took, handed out part by part so that publishing never needs the
 * whole table as datums at once. Its bytes leave the budget part by part as parts are settled, and the rest
 * (the table's own structure, strings its entries share) once everything is handed out or put back; its
 * points count as held until handed out. Each buffer hands out its own kind of table.
 */
public abstract class Drained {

    private final ByteBudget budget;
    private final Set<Drained> open;
    private final Set<Taken> unsettled = Collections.newSetFromMap(new IdentityHashMap<>());
    private long unhandedBytes;
    private volatile long unhandedPoints;
    private boolean done;

    /** Registers itself in {@code open} (the buffer's drains with points not yet handed out). */
    Drained(ByteBudget budget, Set<Drained> open, Generation<?> taken) {
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

    /**
     * The next datums of one namespace, at most {@code maxDatums} (a series' values may split into several
     * datums of at most 150 values, kept in one part when they fit), or null when all is handed out.
     */
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

    /** The part was published, dropped or requeued: its bytes leave the budget (once; none of another drain). */
    public final synchronized void settled(Taken taken) {
        if (unsettled.remove(taken)) {
            budget.release(taken.bytes());
        }
    }

    /** Puts back into the live buffer everything not yet handed out (after a failure or at a deadline). */
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
