package com.cwgateway.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway killed (SIGKILL) while appending from many threads loses no acknowledged record, and a restart
 * reads each record once. Each round kills at another point and restarts on what the earlier rounds left.
 * A kill keeps the page cache, so this tests a process crash; a power cut is what the torn-tail tests are for.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void noAcknowledgedRecordIsLostToAKill() throws Exception {
        Set<String> acked = new HashSet<>();
        for (int killAfter : new int[] {1, 250, 2_000, 7_000}) {
            try (ChildJvm writer = ChildJvm.start("append", dir)) {
                for (int i = 0; i < killAfter; i++) {
                    acked.add(writer.awaitLine("acked "));
                }
                writer.kill();
                // Lines already in the pipe were acknowledged before the kill too.
                writer.remainingLines().stream().filter(l -> l.startsWith("acked "))
                        .forEach(l -> acked.add(l.substring("acked ".length())));
            }
        }
        Set<String> read = new HashSet<>();
        long torn = 0;
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            assertEquals(4, wal.sealed().size(), "one segment per killed run");
            for (Segment segment : wal.sealed()) {
                ReadResult result = WriteAheadLog.read(segment.file(), payload -> {
                    String id = new String(payload, StandardCharsets.UTF_8).split(" ")[0];
                    assertTrue(read.add(id), () -> id + " read twice");
                });
                assertEquals(0, result.corruptBytes(), () -> segment + ": " + result);
                torn += result.tornBytes();
            }
        }
        System.out.printf("crash recovery: %d records acknowledged, %d read back, %d torn bytes%n",
                acked.size(), read.size(), torn);
        Set<String> lost = new HashSet<>(acked);
        lost.removeAll(read);
        assertEquals(Set.of(), lost, "acknowledged but not read back");
    }
}
