package com.cwgateway.wal;

import static com.cwgateway.wal.Segments.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a segment that a crash tore or a disk damaged: a torn tail costs only the record being written,
 * a damaged record costs only itself, and the bytes lost are counted. Cuts and flips are tried at every
 * byte offset of a small segment, not a sample.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DamagedSegmentTest {

    @TempDir
    Path dir;

    private final List<String> payloads = new ArrayList<>();
    /** Start offset of each record, and the file's size last. */
    private final List<Long> starts = new ArrayList<>();
    private byte[] segment;

    @BeforeEach
    void writeSegment() throws IOException {
        SegmentWriter writer =
                SegmentWriter.create(dir, 1, SegmentFile.FILES, ByteBuffer.allocate(256), new ForceStats());
        long offset = 0;
        for (int i = 0; i < 24; i++) {
            // Varied lengths, an empty one, and one holding a false header, as a binary payload may.
            byte[] bytes = i == 5 ? new byte[0]
                    : i == 9 ? falseHeaderInside()
                    : bytes("record " + i + " " + "#".repeat(i * 3));
            writer.append(List.of(Record.of(bytes)));
            payloads.add(new String(bytes, StandardCharsets.ISO_8859_1));
            starts.add(offset);
            offset += Record.HEADER_BYTES + bytes.length;
        }
        starts.add(offset);
        writer.close();
        segment = Files.readAllBytes(writer.segment().file());
        assertEquals(offset, segment.length);
    }

    /** Magic, length 0 and a CRC that an empty payload does not have: the scan must not stop there. */
    private static byte[] falseHeaderInside() {
        return ByteBuffer.allocate(20).put(bytes("mag")).putInt(Record.MAGIC).putInt(0).putInt(7).array();
    }

    @Test
    void aTornTailAtEveryOffsetCostsOnlyTheRecordsNotWhollyWritten() throws IOException {
        for (int cut = 0; cut <= segment.length; cut++) {
            int whole = recordsEndingBy(cut);
            long tornBytes = cut - starts.get(whole);
            Read read = read(Arrays.copyOf(segment, cut));
            assertEquals(payloads.subList(0, whole), read.payloads(), "cut at " + cut);
            assertEquals(new ReadResult(whole, starts.get(whole), tornBytes, 0), read.result(), "cut at " + cut);
        }
    }

    @Test
    void aFlippedByteInTheMiddleCostsOnlyItsRecord() throws IOException {
        int k = 7;
        for (String field : List.of("magic", "length", "crc", "payload")) {
            int offset = Math.toIntExact(starts.get(k)) + switch (field) {
                case "magic" -> 1;
                case "length" -> 6;
                case "crc" -> 9;
                default -> Record.HEADER_BYTES + 3;
            };
            assertOnlyRecordLost(k, flipped(offset, 0x01), field);
        }
    }

    @Test
    void aLengthPointingPastTheEndInTheMiddleIsCorruptionNotATornTail() throws IOException {
        int k = 3;
        byte[] damaged = segment.clone();
        ByteBuffer.wrap(damaged).putInt(Math.toIntExact(starts.get(k)) + 4, Record.MAX_PAYLOAD_BYTES);
        assertOnlyRecordLost(k, damaged, "length past the end");
    }

    @Test
    void anyFlippedByteAnywhereCostsOnlyTheRecordHoldingIt() throws IOException {
        for (int mask : new int[] {0x01, 0xFF}) {
            for (int offset = 0; offset < segment.length; offset++) {
                int holder = recordsEndingBy(offset);
                assertOnlyRecordLost(holder, flipped(offset, mask), "mask " + mask + " at " + offset);
            }
        }
    }

    @Test
    void zeroedRecordsInTheMiddleAreSkippedAndZeroesAtTheEndAreTorn() throws IOException {
        byte[] damaged = Arrays.copyOf(segment, segment.length + 4096);
        int from = Math.toIntExact(starts.get(10));
        int to = Math.toIntExact(starts.get(13));
        Arrays.fill(damaged, from, to, (byte) 0);
        Read read = read(damaged);
        List<String> expected = new ArrayList<>(payloads);
        expected.subList(10, 13).clear();
        assertEquals(expected, read.payloads());
        assertEquals(new ReadResult(payloads.size() - 3, segment.length - (to - from), 4096, to - from), read.result());
    }

    /** Record k is lost, counted as torn when it is the last and as corrupt otherwise; all others are read. */
    private void assertOnlyRecordLost(int k, byte[] damaged, String what) throws IOException {
        Read read = read(damaged);
        List<String> expected = new ArrayList<>(payloads);
        expected.remove(k);
        long size = starts.get(k + 1) - starts.get(k);
        boolean last = k == payloads.size() - 1;
        assertEquals(expected, read.payloads(), what);
        assertEquals(new ReadResult(payloads.size() - 1, segment.length - size, last ? size : 0, last ? 0 : size),
                read.result(), what);
    }

    /** How many records lie wholly within the first {@code length} bytes. */
    private int recordsEndingBy(long length) {
        return (int) IntStream.range(0, payloads.size()).filter(i -> starts.get(i + 1) <= length).count();
    }

    private byte[] flipped(int offset, int mask) {
        byte[] damaged = segment.clone();
        damaged[offset] ^= (byte) mask;
        return damaged;
    }

    private record Read(List<String> payloads, ReadResult result) {}

    private Read read(byte[] file) throws IOException {
        Path path = dir.resolve("damaged.wal");
        Files.write(path, file);
        List<String> read = new ArrayList<>();
        ReadResult result = WriteAheadLog.read(path, p -> read.add(new String(p, StandardCharsets.ISO_8859_1)));
        assertEquals(file.length, result.bytes() + result.tornBytes() + result.corruptBytes());
        return new Read(read, result);
    }
}
