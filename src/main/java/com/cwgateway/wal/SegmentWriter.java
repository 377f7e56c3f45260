package com.cwgateway.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The segment being appended to: writes a group of records through one buffer and forces them once. A failed
 * write or force (a full disk) is cut back to the end of the last forced group, so its leftovers do not lie there
 * like a crash's torn tail. Not thread-safe: {@link SegmentSet} calls it under its lock.
 */
final class SegmentWriter {

    private static final Logger LOG = Logger.getLogger(SegmentWriter.class.getName());

    private final Path file;
    private final long sequence;
    private final SegmentFile out;
    private final ByteBuffer buffer;
    private final ForceStats forceStats;
    /** Bytes written and forced: the end of the last good group. */
    private volatile long end;
    /** Bytes of a failed group may still lie past {@link #end}, because cutting them failed too. */
    private boolean dirty;

    private SegmentWriter(Path file, long sequence, SegmentFile out, ByteBuffer buffer, ForceStats forceStats) {
        this.file = file;
        this.sequence = sequence;
        this.out = out;
        this.buffer = buffer;
        this.forceStats = forceStats;
    }

    /** Creates segment {@code sequence} in {@code dir}; {@code buffer} is shared, used only under the caller's lock. */
    static SegmentWriter create(Path dir, long sequence, SegmentFile.Creator files, ByteBuffer buffer,
                                ForceStats forceStats) throws IOException {
        while (true) {
            Path file = SegmentFiles.newFile(dir, sequence);
            try {
                SegmentFile out = files.createNew(file);
                SegmentFiles.syncDirectory(dir);
                return new SegmentWriter(file, sequence, out, buffer, forceStats);
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name; draw again
            }
        }
    }

    /** Writes the records after the last good group and forces them; on failure nothing of them stays. */
    void append(List<Record> records) throws IOException {
        cutBackIfDirty();
        dirty = true;
        try {
            long position = end;
            buffer.clear();
            for (Record record : records) {
                position = put(record, position);
            }
            position = flush(position);
            force();
            end = position;
            dirty = false;
        } catch (IOException | RuntimeException | Error e) {
            cutBack(e);
            throw e;
        }
    }

    /** The segment as it stands: every byte up to {@link #end} is forced. */
    Segment segment() {
        return new Segment(file, sequence, end);
    }

    long bytes() {
        return end;
    }

    /** Cuts leftovers of a failed write if any are left, and closes the file. */
    void close() throws IOException {
        try (out) {
            cutBackIfDirty();
        }
    }

    private long put(Record record, long position) throws IOException {
        if (buffer.remaining() < Record.HEADER_BYTES) {
            position = flush(position);
        }
        buffer.putInt(Record.MAGIC).putInt(record.payloadLength()).putInt(record.crc());
        position = put(record.head(), record.head().length, position);
        return put(record.body(), record.bodyLength(), position);
    }

    private long put(byte[] bytes, int length, long position) throws IOException {
        for (int done = 0; done < length; ) {
            if (!buffer.hasRemaining()) {
                position = flush(position);
            }
            int n = Math.min(buffer.remaining(), length - done);
            buffer.put(bytes, done, n);
            done += n;
        }
        return position;
    }

    private long flush(long position) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            position += out.write(buffer, position);
        }
        buffer.clear();
        return position;
    }

    private void force() throws IOException {
        long started = System.nanoTime();
        try {
            out.force();
        } finally {
            forceStats.add(System.nanoTime() - started);
        }
    }

    private void cutBack(Throwable failure) {
        try {
            out.truncate(end);
            dirty = false;
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            LOG.log(Level.WARNING, "write-ahead log " + file + ": cannot cut a failed write back to " + end
                    + " bytes; the next append tries again", e);
        }
    }

    private void cutBackIfDirty() throws IOException {
        if (dirty) {
            out.truncate(end);
            dirty = false;
        }
    }
}
