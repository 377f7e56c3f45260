package com.cwgateway.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A write-ahead log in a spool directory: {@link #append} returns only once the payload is forced to disk,
 * so the gateway answers 202 only for points that survive a crash. Records live in segment files; the
 * gateway {@link #rotate}s, publishes or carries forward what the sealed segments hold, then
 * {@link #delete}s them. Payloads are opaque bytes here.
 *
 * <p>One appender thread writes and forces for all callers at once ({@link GroupCommit}); a failed write
 * (a full disk) is cut back and fails only its own callers, and later appends try again. On open, segments
 * left by an earlier run are sealed and {@link #read} gets their records back, cutting a torn tail.
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
     * Appends {@code payload} and returns once it is forced to disk, together with whatever other callers
     * appended meanwhile. The array must not change until this returns. Throws when the write or force
     * failed (nothing of the record is left then) or the log was closed first.
     */
    public void append(byte[] payload) throws IOException {
        appender.submit(Record.of(payload));
    }

    /**
     * Appends one payload made of {@code head} and the first {@code bodyLength} bytes of {@code body}, as
     * {@link #append(byte[])} does, without copying them into one array first. Neither array may change until
     * this returns.
     */
    public void append(byte[] head, byte[] body, int bodyLength) throws IOException {
        appender.submit(Record.of(head, body, bodyLength));
    }

    /**
     * Seals the current segment, everything in it forced, and starts a new one. Returns the sealed segments
     * not yet deleted, oldest first, those of earlier runs included. An append racing with this lands either
     * in a returned segment or in the new one.
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

    /**
     * Reads a segment file's payloads in order, streaming. A torn tail (a crash mid-write) is cut and a corrupt
     * record skipped; the result counts those bytes, for the caller to warn about.
     */
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
     * Stops the appender (callers still waiting get an IOException; the group being written finishes),
     * closes the current segment, which the next run finds sealed, and releases the directory lock.
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
