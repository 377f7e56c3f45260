package com.cwgateway.testsupport;

import com.cwgateway.wal.WriteAheadLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a gateway's SPOOL_DIR from the outside, while no gateway holds it: the points its segments hold,
 * which is what the next start replays. A record is the body's shape (1 byte), the time it was received
 * (8 bytes) and the PutMetricData JSON, one input or a /batch array; a record of datums carried forward
 * (shape 2) holds, between the two, their number (4 bytes) and the points of each (8 bytes each).
 */
public final class SpoolContents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HEADER = 1 + Long.BYTES;
    private static final byte CARRIED = 2;

    private SpoolContents() {}

    public static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().startsWith("segment-")).sorted().toList();
        }
    }

    /**
     * Points in every segment of {@code dir}, counted as the gateway's ledger counts what it replays: a Value,
     * each entry of Values (whatever its count) and a StatisticValues are one point each.
     */
    public static long points(Path dir) throws IOException {
        long[] points = {0};
        for (Path segment : segments(dir)) {
            WriteAheadLog.read(segment, payload -> points[0] += pointsOf(payload));
        }
        return points[0];
    }

    private static long pointsOf(byte[] payload) {
        if (payload[0] == CARRIED) {
            ByteBuffer header = ByteBuffer.wrap(payload, HEADER, payload.length - HEADER);
            long points = 0;
            for (int datums = header.getInt(); datums > 0; datums--) {
                points += header.getLong();
            }
            return points;
        }
        JsonNode body;
        try {
            body = JSON.readTree(payload, HEADER, payload.length - HEADER);
        } catch (IOException e) {
            throw new UncheckedIOException("a spool record is not JSON", e);
        }
        long points = 0;
        for (JsonNode input : body.isArray() ? body : List.of(body)) {
            for (JsonNode datum : input.path("MetricData")) {
                if (datum.has("Values")) {
                    points += datum.path("Values").size();
                } else {
                    points += 1;
                }
            }
        }
        return points;
    }
}
