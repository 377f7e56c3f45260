package com.cwgateway.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A write-ahead log of opaque payloads in a spool directory: {@link #append} returns only once the payload is
 * forced to disk, so a 202 is given only for points that survive a crash. The gateway {@link #rotate}s, publishes
 * or carries forward what the sealed segments hold, then {@link #delete}s them. One appender thread writes and
 * forces for all callers ({@link GroupCommit}); a failed write (a full disk) is cut back and fails only its own
 * callers. On open, an earlier run's segments are sealed, for {@link #read} to get back, cutting a torn tail.
 */
public final class WriteAheadLog implements AutoCloseable {

    private final Path dir;
    private final DirLock lock;
    private final SegmentSet segments;
    private final GroupCommit<Record> appender;
    private boolean closed;

    private WriteAheadLog(Path dir, DirLock lock, SegmentSet segments) {
        this.dir = dir;
        this.lock = lock;
        this.segments = segments;
        this.appender = GroupCommit.start("wal-appender " + dir, segments::append);
    }

    /**
     * Checks {@code dir} (created if missing; a writable directory with at least 16 MiB usable), locks it
     * against other gateways, seals the segments found there and starts a new one. While the log is open,
     * nothing else in this process may open {@code dir/lock}: closing any descriptor of it drops the lock.
     */
    public static WriteAheadLog open(Path dir) throws SpoolDirException {
        return open(dir, SpoolDir.DEFAULT_MIN_USABLE_BYTES, SegmentFile.FILES);
    }

    static WriteAheadLog open(Path dir, long minUsableBytes, SegmentFile.Creator files) throws SpoolDirException {
        SpoolDir.check(dir, minUsableBytes);
        DirLock lock = DirLock.acquire(dir);
        try {
            return new WriteAheadLog(dir, lock, new SegmentSet(dir, SegmentFiles.list(dir), files));
        } catch (IOException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new SpoolDirException("spool directory " + dir + ": cannot list or create segment files (" + e
                    + "): make it readable and writable by the gateway's user, and free disk space", e);
        }
    }

    /**
     * Appends {@code payload} and returns once it is forced to disk; the array must not change until then. Throws
     * when the write or force failed (nothing of the record is left then) or the log was closed first.
     */
    public void append(byte[] payload) throws IOException {
        appender.submit(Record.of(payload));
    }

    /**
     * Appends {@code head} and the first {@code bodyLength} bytes of {@code body} as one payload, without copying
     * them; neither array may change until this returns.
     */
    public void append(byte[] head, byte[] body, int bodyLength) throws IOException {
        appender.submit(Record.of(head, body, bodyLength));
    }

    /**
     * Seals the current segment and starts a new one; returns the sealed segments not yet deleted, oldest first.
     * An append racing with this lands either in a returned segment or in the new one.
     */
    public List<Segment> rotate() throws IOException {
        return segments.rotate();
    }

    /** Sealed segments not yet deleted, oldest first. */
    public List<Segment> sealed() {
        return segments.sealed();
    }

    /** Deletes sealed segments (their records are published or carried forward), then syncs the directory. */
    public void delete(List<Segment> sealedSegments) throws IOException {
        segments.delete(sealedSegments);
    }

    /** Reads a segment file's payloads in order, skipping a torn tail and corrupt records; the result counts them. */
    public static ReadResult read(Path segmentFile, Consumer<byte[]> eachPayload) throws IOException {
        return SegmentReader.read(segmentFile, eachPayload);
    }

    /** Bytes of all segments, sealed and current. */
    public long bytesOnDisk() {
        return segments.bytesOnDisk();
    }

    public Path dir() {
        return dir;
    }

    /** Forces made so far (one per group of appends). */
    public long forces() {
        return segments.forceStats().forces();
    }

    /** Nanoseconds spent in those forces, for fsync latency. */
    public long forceNanos() {
        return segments.forceStats().nanos();
    }

    /**
     * Stops the appender (callers still waiting get an IOException; the group being forced finishes, and its
     * callers return normally), closes the segment, releases the directory lock.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (lock) {
            appender.close();
            segments.close();
        }
    }
}
