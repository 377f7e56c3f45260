package com.cwgateway.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: callers hand items to one platform thread, which takes every item waiting, commits them together
 * (for the log: one write and one force) and wakes each caller, who returns once its item is committed or throws
 * the commit's failure. While one group is forced the next gathers, so forces per item fall as callers grow.
 */
final class GroupCommit<T> implements AutoCloseable {

    /** Commits a group: returns once all of it is durable, or throws and leaves none of it. */
    @FunctionalInterface
    interface Committer<T> {
        void commit(List<T> items) throws IOException;
    }

    /** How long close waits for the group being committed before interrupting the thread. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final Committer<T> committer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private List<Waiter<T>> waiting = new ArrayList<>();
    private boolean closed;
    private Thread thread;

    private record Waiter<T>(T item, CompletableFuture<Void> done) {}

    private GroupCommit(Committer<T> committer) {
        this.committer = committer;
    }

    static <T> GroupCommit<T> start(String threadName, Committer<T> committer) {
        GroupCommit<T> groupCommit = new GroupCommit<>(committer);
        groupCommit.thread = Thread.ofPlatform().name(threadName).daemon(true).start(groupCommit::run);
        return groupCommit;
    }

    /** Blocks until {@code item} is committed; throws if its group failed or the committer was closed first. */
    void submit(T item) throws IOException {
        Waiter<T> waiter = new Waiter<>(item, new CompletableFuture<>());
        lock.lock();
        try {
            if (closed) {
                throw new IOException("write-ahead log is closed");
            }
            waiting.add(waiter);
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        await(waiter.done());
    }

    /** Items handed in and not yet taken into a group: the queue behind the force under way. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Fails the items still waiting, lets the group being committed finish, and stops the thread. */
    @Override
    public void close() {
        List<Waiter<T>> left;
        lock.lock();
        try {
            closed = true;
            left = waiting;
            waiting = new ArrayList<>();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        IOException closing = new IOException("write-ahead log was closed before the record was written");
        left.forEach(waiter -> waiter.done().completeExceptionally(closing));
        try {
            if (!thread.join(CLOSE_WAIT)) {
                thread.interrupt();
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        for (List<Waiter<T>> group = takeAll(); group != null; group = takeAll()) {
            List<T> items = new ArrayList<>(group.size());
            group.forEach(waiter -> items.add(waiter.item()));
            try {
                committer.commit(items);
                group.forEach(waiter -> waiter.done().complete(null));
            } catch (Throwable failure) {
                group.forEach(waiter -> waiter.done().completeExceptionally(failure));
            }
        }
    }

    /** Every item waiting now, once there is at least one; null once closed. */
    private List<Waiter<T>> takeAll() {
        lock.lock();
        try {
            while (waiting.isEmpty() && !closed) {
                notEmpty.awaitUninterruptibly();
            }
            if (waiting.isEmpty()) {
                return null;
            }
            List<Waiter<T>> group = waiting;
            waiting = new ArrayList<>();
            return group;
        } finally {
            lock.unlock();
        }
    }

    private static void await(CompletableFuture<Void> done) throws IOException {
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // A new exception for each caller: the group's failure is shared and must not be thrown twice.
            throw new IOException("write-ahead log append failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the write-ahead log;"
                    + " the record may still be written");
        }
    }
}
