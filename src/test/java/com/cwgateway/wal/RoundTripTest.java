package com.cwgateway.wal;

import static com.cwgateway.wal.Segments.bytes;
import static com.cwgateway.wal.Segments.readClean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Records written come back in order across rotations, deletions and restarts; segment names never repeat. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoundTripTest {

    @TempDir
    Path dir;

    @Test
    void manyRecordsOfAllSizesAcrossRotateAndDelete() throws Exception {
        Random random = new Random(7);
        List<String> expected = new ArrayList<>();
        List<String> readBeforeDelete = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            for (int i = 0; i < 1000; i++) {
                String payload = payload(i, random);
                wal.append(bytes(payload));
                expected.add(payload);
                if (i % 100 == 99) {
                    List<Segment> sealed = wal.rotate();
                    assertEquals(expected, concat(readBeforeDelete, readClean(sealed)));
                    assertEquals(sealed.stream().mapToLong(Segment::bytes).sum(), wal.bytesOnDisk());
                }
                if (i == 349) {
                    List<Segment> sealed = wal.sealed();
                    readBeforeDelete.addAll(readClean(sealed));
                    wal.delete(sealed);
                    assertEquals(List.of(), wal.sealed());
                    sealed.forEach(segment -> assertFalse(Files.exists(segment.file()), segment + " is still there"));
                }
            }
            assertEquals(expected, concat(readBeforeDelete, readClean(wal.rotate())));
        }
    }

    /**
     * A payload given as a head and the start of a longer array (a request body read into a pooled array) is
     * written as the one payload they make, across the write buffer's edge, with the CRC that payload has.
     */
    @Test
    void aPayloadInTwoPartsIsWrittenAsTheOnePayloadTheyMake() throws Exception {
        byte[] head = bytes("head:");
        byte[] body = new byte[3 << 20]; // past the 1 MiB write buffer
        new Random(11).nextBytes(body);
        int bodyLength = (2 << 20) + 17;
        byte[] whole = new byte[head.length + bodyLength];
        System.arraycopy(head, 0, whole, 0, head.length);
        System.arraycopy(body, 0, whole, head.length, bodyLength);
        assertEquals(Record.crcOf(whole), Record.of(head, body, bodyLength).crc());

        List<byte[]> read = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            wal.append(bytes("before"));
            wal.append(head, body, bodyLength);
            wal.append(bytes("after"));
            for (Segment segment : wal.rotate()) {
                ReadResult result = WriteAheadLog.read(segment.file(), read::add);
                assertEquals(0, result.skippedBytes(), result.toString());
            }
        }
        assertEquals(3, read.size());
        assertTrue(Arrays.equals(whole, read.get(1)), "the two parts read back as one payload");
        assertEquals("after", new String(read.get(2), StandardCharsets.UTF_8));
    }

    /** Mostly small; some past the read window (64 KiB), one past the write buffer (1 MiB); some empty. */
    private static String payload(int i, Random random) {
        int filler = switch (i % 97) {
            case 0 -> 100_000 + random.nextInt(100_000);
            case 1 -> i == 1 ? 3_000_000 : 0;
            default -> random.nextInt(300);
        };
        return i % 50 == 3 ? "" : "record " + i + " " + "x".repeat(filler);
    }

    @Test
    void earlierRunsAreSealedAndTheSequenceGoesOn() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            wal.append(bytes("first run"));
        }
        List<Segment> afterFirst;
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            afterFirst = wal.sealed();
            assertEquals(List.of("first run"), readClean(afterFirst));
            wal.append(bytes("second run"));
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            assertEquals(List.of("first run", "second run"), readClean(wal.sealed()));
            wal.append(bytes("third run"));
            List<Segment> sealed = wal.rotate();
            assertEquals(List.of("first run", "second run", "third run"), readClean(sealed));
            for (int i = 1; i < sealed.size(); i++) {
                assertTrue(sealed.get(i).sequence() > sealed.get(i - 1).sequence(), () -> "out of order: " + sealed);
            }
            assertEquals(afterFirst.getFirst(), sealed.getFirst());
        }
    }

    @Test
    void closingAnUnusedLogLeavesNoEmptySegment() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            assertEquals(0, wal.bytesOnDisk());
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            assertEquals(List.of(), wal.sealed());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(DirLock.FILE_NAME), files.map(f -> f.getFileName().toString()).toList());
        }
    }

    @Test
    void twoWritersOfOneSequenceInOneDirectoryGetTwoFiles() throws Exception {
        ForceStats stats = new ForceStats();
        SegmentWriter one = SegmentWriter.create(dir, 5, SegmentFile.FILES, ByteBuffer.allocate(64), stats);
        SegmentWriter two = SegmentWriter.create(dir, 5, SegmentFile.FILES, ByteBuffer.allocate(64), stats);
        one.append(List.of(Record.of(bytes("one"))));
        two.append(List.of(Record.of(bytes("two"))));
        one.close();
        two.close();
        assertNotEquals(one.segment().file(), two.segment().file());
        assertTrue(one.segment().file().getFileName().toString().matches("segment-0000000000000005-[0-9a-f]{8}\\.wal"));
        assertEquals(List.of("one"), readClean(List.of(one.segment())));
        assertEquals(List.of("two"), readClean(List.of(two.segment())));
        assertEquals(2, SegmentFiles.list(dir).size());
    }

    @Test
    void aNameAlreadyTakenIsDrawnAgain() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        SegmentFile.Creator takenTwice = file -> {
            if (tries.incrementAndGet() <= 2) {
                throw new FileAlreadyExistsException(file.toString());
            }
            return SegmentFile.FILES.createNew(file);
        };
        SegmentWriter writer = SegmentWriter.create(dir, 1, takenTwice, ByteBuffer.allocate(64), new ForceStats());
        writer.close();
        assertEquals(3, tries.get());
        assertTrue(Files.exists(writer.segment().file()));
    }

    @Test
    void oversizedPayloadIsRefusedAndClosedLogRefusesAppends() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir);
        assertThrows(IllegalArgumentException.class, () -> wal.append(new byte[Record.MAX_PAYLOAD_BYTES + 1]));
        wal.append(new byte[0]);
        wal.close();
        wal.close();
        IOException closed = assertThrows(IOException.class, () -> wal.append(bytes("late")));
        assertTrue(closed.getMessage().contains("closed"), closed::getMessage);
        assertThrows(IOException.class, wal::rotate);
        try (WriteAheadLog again = WriteAheadLog.open(dir)) {
            assertEquals(List.of(""), readClean(again.sealed()));
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }
}

