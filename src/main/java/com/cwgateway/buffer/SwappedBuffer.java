package com.cwgateway.buffer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What both buffers share: a live {@link Generation} that requests add to under the shared side of a
 * read-write lock, swapped out whole by {@link #drain()} under the exclusive side (so a flush holds requests up
 * for a moment, never while it publishes), and the budget that counts live and drained data until settled.
 *
 * @param <T> what a generation holds per namespace
 */
abstract class SwappedBuffer<T> implements MetricBuffer {

    final ByteBudget budget;
    final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    /** Drained tables with points not yet handed out. */
    final Set<Drained> drains = ConcurrentHashMap.newKeySet();
    volatile Generation<T> live;

    SwappedBuffer(long maxBytes) {
        this.budget = new ByteBudget(maxBytes);
        this.live = new Generation<>(budget);
    }

    /**
     * A reservation of {@code bytes} already taken from the budget, made under the shared side of the swap
     * lock, which it holds until it is committed (by {@code add}) or closed.
     */
    final Reservation reservation(long bytes, Runnable add) {
        return new Reservation() {
            private boolean done;

            @Override
            public void commit() {
                if (done) {
                    throw new IllegalStateException("committed or closed already");
                }
                done = true;
                try {
                    add.run();
                } finally {
                    budget.release(bytes);
                    swap.readLock().unlock();
                }
            }

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    budget.release(bytes);
                    swap.readLock().unlock();
                }
            }
        };
    }

    /** Runs {@code add} on the live generation under the shared side of the swap lock. */
    final void addToLive(Consumer<Generation<T>> add) {
        swap.readLock().lock();
        try {
            add.accept(live);
        } finally {
            swap.readLock().unlock();
        }
    }

    /** Hands {@code taken} out part by part. */
    abstract Drained parts(Generation<T> taken);

    @Override
    public final Drained drain() {
        Generation<T> taken;
        swap.writeLock().lock();
        try {
            taken = live;
            live = new Generation<>(budget);
        } finally {
            swap.writeLock().unlock();
        }
        return parts(taken);
    }

    @Override
    public final long bytes() {
        return budget.held();
    }

    @Override
    public final long maxBytes() {
        return budget.max();
    }

    @Override
    public final long points() {
        long points = live.points();
        for (Drained drained : drains) {
            points += drained.unhandedPoints();
        }
        return points;
    }
}
