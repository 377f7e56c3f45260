package com.cwgateway.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The segments of one log directory: the current one being appended to and the sealed ones, oldest first,
 * until they are deleted. Appends and rotation take one lock, so a rotation seals the current segment
 * between two groups: every group is wholly in the old segment or wholly in the new one.
 */
final class SegmentSet {

    /** Groups go to disk through this buffer: one write for all records of a group up to its size. */
    private static final int WRITE_BUFFER_BYTES = 1 << 20;

    private final Path dir;
    private final SegmentFile.Creator files;
    private final ForceStats forceStats = new ForceStats();
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);
    private final ReentrantLock lock = new ReentrantLock();
    /** A CopyOnWriteArrayList, not guarded by {@link #lock}, so reading the list never waits for a force. */
    private final CopyOnWriteArrayList<Segment> sealed;
    private volatile SegmentWriter current;
    private long nextSequence;
    private boolean closed;

    /** Takes {@code existing} (from earlier runs) as sealed and starts a new current segment after them. */
    SegmentSet(Path dir, List<Segment> existing, SegmentFile.Creator files) throws IOException {
        this.dir = dir;
        this.files = files;
        this.sealed = new CopyOnWriteArrayList<>(existing);
        this.nextSequence = existing.isEmpty() ? 1 : existing.getLast().sequence() + 1;
        this.current = newWriter();
    }

    void append(List<Record> records) throws IOException {
        lock.lock();
        try {
            openOrThrow();
            current.append(records);
        } finally {
            lock.unlock();
        }
    }

    /** Seals the current segment and starts the next; the next is created first, so its failure changes nothing. */
    List<Segment> rotate() throws IOException {
        lock.lock();
        try {
            openOrThrow();
            SegmentWriter old = current;
            current = newWriter();
            try {
                old.close();
            } finally {
                sealed.add(old.segment());
            }
        } finally {
            lock.unlock();
        }
        return sealed();
    }

    List<Segment> sealed() {
        return List.copyOf(sealed);
    }

    /** Deletes sealed segments; the current one cannot be, it is still written. */
    void delete(List<Segment> segments) throws IOException {
        for (Segment segment : segments) {
            if (segment.file().equals(current.segment().file())) {
                throw new IllegalArgumentException(segment.file() + " is the current segment of the write-ahead log;"
                        + " rotate() first, then delete what it returns");
            }
        }
        try {
            for (Segment segment : segments) {
                Files.deleteIfExists(segment.file());
                sealed.removeIf(s -> s.file().equals(segment.file()));
            }
        } finally {
            SegmentFiles.syncDirectory(dir);
        }
    }

    long bytesOnDisk() {
        return current.bytes() + sealed.stream().mapToLong(Segment::bytes).sum();
    }

    ForceStats forceStats() {
        return forceStats;
    }

    /**
     * Closes the current segment; it is sealed for the next run, or removed when nothing was written to it.
     * Nothing is left to force: every group was forced before its callers returned.
     */
    void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            current.close();
            if (current.bytes() == 0) {
                Files.deleteIfExists(current.segment().file());
                SegmentFiles.syncDirectory(dir);
            }
        } finally {
            lock.unlock();
        }
    }

    private SegmentWriter newWriter() throws IOException {
        SegmentWriter writer = SegmentWriter.create(dir, nextSequence, files, writeBuffer, forceStats);
        nextSequence++;
        return writer;
    }

    private void openOrThrow() throws IOException {
        if (closed) {
            throw new IOException("write-ahead log in " + dir + " is closed");
        }
    }
}
