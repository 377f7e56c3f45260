package com.cwgateway.wal;

import static com.cwgateway.wal.Segments.bytes;
import static com.cwgateway.wal.Segments.readClean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A full or failing disk fails only the appends it hits: nothing of them stays in the segment (no partial
 * record that would read as a crash), and appends work again once there is room.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FullDiskTest {

    private static final int PAYLOAD_BYTES = 10_000;

    @TempDir
    Path tmp;

    /** A real ENOSPC from a 1 MiB tmpfs; where mounting is refused, the stand-in disk of the same size. */
    @Test
    void aFullDiskFailsTheAppendsItHitsAndFreeingSpaceHeals() throws Exception {
        Path mountPoint = Files.createDirectory(tmp.resolve("small"));
        Optional<Tmpfs> tmpfs = Tmpfs.mount(mountPoint, "1m");
        try {
            SegmentFile.Creator files = tmpfs.isPresent() ? SegmentFile.FILES : new StandInDisk(1 << 20);
            try (WriteAheadLog wal = WriteAheadLog.open(mountPoint.resolve("spool"), 64 * 1024, files)) {
                fillThenFreeThenAppend(wal);
            }
        } finally {
            if (tmpfs.isPresent()) {
                tmpfs.get().close();
            }
        }
    }

    private static void fillThenFreeThenAppend(WriteAheadLog wal) throws IOException {
        List<String> acked = new ArrayList<>();
        IOException full = null;
        while (full == null) {
            String payload = payload(acked.size());
            try {
                wal.append(bytes(payload));
                acked.add(payload);
            } catch (IOException e) {
                full = e;
            }
        }
        assertTrue(full.getMessage().contains("No space left on device"), full::getMessage);
        assertTrue(acked.size() > 10, "only " + acked.size() + " appends fitted");
        long recordBytes = Record.HEADER_BYTES + PAYLOAD_BYTES;
        assertEquals(acked.size() * recordBytes, wal.bytesOnDisk());
        // Still full: the next try fails the same way, and leaves nothing either.
        assertThrows(IOException.class, () -> wal.append(bytes(payload(-1))));

        List<Segment> sealed = wal.rotate();
        Segment filled = sealed.getLast();
        assertEquals(acked.size() * recordBytes, Files.size(filled.file()), "a failed write left bytes behind");
        assertEquals(acked, readClean(sealed));

        wal.delete(sealed);
        wal.append(bytes("after freeing space"));
        assertEquals(List.of("after freeing space"), readClean(wal.rotate()));
    }

    /** A force or truncate that fails is what a failing disk does; only the stand-in can make one on demand. */
    @ParameterizedTest(name = "the cut back fails too: {0}")
    @ValueSource(booleans = {false, true})
    void aFailedForceIsCutBackAndTheNextAppendWorks(boolean cutFailsToo) throws Exception {
        StandInDisk disk = new StandInDisk(Long.MAX_VALUE);
        try (WriteAheadLog wal = WriteAheadLog.open(tmp, 0, disk)) {
            wal.append(bytes("before"));
            disk.failNextForces(1);
            disk.failNextTruncates(cutFailsToo ? 1 : 0);
            IOException e = assertThrows(IOException.class, () -> wal.append(bytes("lost with its force")));
            assertTrue(e.getMessage().contains("failed force"), e::getMessage);
            // A failed cut is reported with the failure; the next append cuts first.
            assertEquals(cutFailsToo ? 1 : 0, e.getCause().getSuppressed().length);
            assertEquals(Record.HEADER_BYTES + 6, wal.bytesOnDisk());
            wal.append(bytes("after"));
            assertEquals(List.of("before", "after"), readClean(wal.rotate()));
        }
    }

    private static String payload(int i) {
        String head = "record " + i + " ";
        return head + "p".repeat(PAYLOAD_BYTES - head.length());
    }
}
