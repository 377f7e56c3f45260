package com.cwgateway.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a disk that fills up or fails, for what a tmpfs cannot show (a force or a truncate that
 * fails) and for machines where a tmpfs cannot be mounted. Its segment files are real; it refuses to grow
 * them past {@code capacity} bytes in all (after writing what fits, as a real partial write does), and
 * fails the next forces or truncates on demand.
 */
final class StandInDisk implements SegmentFile.Creator {

    static final String FULL = "No space left on device (stand-in)";

    private final long capacity;
    private final List<Path> files = new ArrayList<>();
    private int forcesToFail;
    private int truncatesToFail;

    StandInDisk(long capacity) {
        this.capacity = capacity;
    }

    @Override
    public SegmentFile createNew(Path path) throws IOException {
        SegmentFile file = SegmentFile.FILES.createNew(path);
        synchronized (this) {
            files.add(path);
        }
        return new SegmentFile() {
            @Override
            public int write(ByteBuffer bytes, long position) throws IOException {
                long fits = Files.size(path) - position + free();
                if (fits <= 0) {
                    throw new IOException(FULL);
                }
                int limit = bytes.limit();
                bytes.limit((int) Math.min(limit, bytes.position() + fits));
                try {
                    return file.write(bytes, position);
                } finally {
                    bytes.limit(limit);
                }
            }

            @Override
            public void force() throws IOException {
                failIf(forcesToFail-- > 0, "force");
                file.force();
            }

            @Override
            public void truncate(long size) throws IOException {
                failIf(truncatesToFail-- > 0, "truncate");
                file.truncate(size);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    void failNextForces(int count) {
        forcesToFail = count;
    }

    void failNextTruncates(int count) {
        truncatesToFail = count;
    }

    private static void failIf(boolean fail, String what) throws IOException {
        if (fail) {
            throw new IOException("Input/output error (stand-in: failed " + what + ")");
        }
    }

    /** Capacity less the size of its files still there, so truncating or deleting one frees space. */
    private synchronized long free() throws IOException {
        long used = 0;
        for (Path file : files) {
            used += Files.exists(file) ? Files.size(file) : 0;
        }
        return capacity - used;
    }
}
