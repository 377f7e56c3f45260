package com.cwgateway.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: payloads as text, and reading whole segments back. */
final class Segments {

    private Segments() {}

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every payload of {@code segments}, in order, as text; fails when any segment has skipped bytes. */
    static List<String> readClean(List<Segment> segments) throws IOException {
        List<String> payloads = new ArrayList<>();
        for (Segment segment : segments) {
            ReadResult result = WriteAheadLog.read(segment.file(),
                    payload -> payloads.add(new String(payload, StandardCharsets.UTF_8)));
            assertEquals(0, result.skippedBytes(), () -> segment + " read with skipped bytes: " + result);
            assertEquals(segment.bytes(), result.bytes(), () -> segment + ": " + result);
        }
        return payloads;
    }
}
