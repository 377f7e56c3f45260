package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.wal.SpoolDirException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The spool on its own: what is appended or carried comes back at the next open, and nothing is deleted early. */
@Timeout(30)
class SpoolTest {

    @TempDir
    Path dir;

    private static byte[] input(String metric) {
        return ("{\"Namespace\":\"S\",\"MetricData\":[{\"MetricName\":\"" + metric + "\",\"Value\":1}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private List<String> replayed() throws SpoolDirException {
        List<String> names = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> {
                batches.forEach(batch -> batch.datums().forEach(datum -> names.add(datum.metricName())));
                return true;
            });
        }
        return names;
    }

    private long segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".wal")).count();
        }
    }

    @Test
    void requestsAndCarriedDatumsComeBackAtTheNextOpenStampedWhenReceived() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            byte[] body = input("appended");
            spool.append(false, 1_700_000_000_000L, body, body.length);
            byte[] batch = ("[" + new String(input("batched"), StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            spool.append(true, 1_700_000_000_000L, batch, batch.length);
            spool.carry("S", List.of(new Datum("carried", List.of(), new MetricValue.Single(2), "Count", null, 1_700_000_060_000L)));
        }
        List<PutMetricDataInput> read = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> read.addAll(batches));
        }
        assertEquals(List.of("appended", "batched", "carried"),
                read.stream().map(batch -> batch.datums().getFirst().metricName()).toList());
        assertEquals(1_700_000_000_000L, read.getFirst().datums().getFirst().timestampMillis(), "stamped when received");
        assertEquals(1_700_000_060_000L, read.get(2).datums().getFirst().timestampMillis());
    }

    @Test
    void carriedDatumsComeBackWithThePointsMergedIntoThem() throws Exception {
        long minute = 1_700_000_060_000L;
        List<Datum> carried = List.of(
                new Datum("merged", List.of(), new MetricValue.Distribution(new double[] {1, 2}, new double[] {3, 1}),
                        null, null, minute, 4),
                new Datum("single", List.of(), new MetricValue.Single(7), null, null, minute, 5),
                new Datum("sent", List.of(), new MetricValue.Statistics(2, 3, 1, 2), null, null, minute));
        try (Spool spool = Spool.open(dir)) {
            spool.carry("S", carried);
        }
        List<PutMetricDataInput> read = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> read.addAll(batches));
        }
        assertEquals(List.of(4L, 5L, 1L), read.getFirst().datums().stream().map(Datum::points).toList());
    }

    @Test
    void sealedSegmentsGoOnlyAtTrimAndAnUnreplayedOneNeverDoes() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            byte[] body = input("earlier");
            spool.append(false, 0, body, body.length);
        }
        try (Spool spool = Spool.open(dir)) {
            // Not replayed yet: a flush's seal and trim must keep it.
            spool.seal();
            spool.trim();
            SpoolDirException locked = assertThrows(SpoolDirException.class, () -> Spool.open(dir));
            assertTrue(locked.getMessage().contains(dir.toString()), locked.getMessage());
        }
        assertEquals(List.of("earlier"), replayed());

        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> true);
            byte[] body = input("later");
            spool.append(false, 0, body, body.length);
            spool.seal(); // the replayed segment and "later" are both sealed now
            byte[] next = input("after the seal");
            spool.append(false, 0, next, next.length);
            spool.trim();
        }
        assertEquals(List.of("after the seal"), replayed());
    }

    @Test
    void aReplayStoppedByTheTargetKeepsTheSegmentForTheNextStart() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            for (int i = 0; i < 3; i++) {
                byte[] body = input("m" + i);
                spool.append(false, 0, body, body.length);
            }
        }
        try (Spool spool = Spool.open(dir)) {
            int[] taken = {0};
            spool.replay(batches -> ++taken[0] < 2); // the gateway stops during the second record
            spool.seal();
            spool.trim();
        }
        assertTrue(segments() >= 1);
        assertEquals(List.of("m0", "m1", "m2"), replayed(), "replayed again whole: duplicates, never loss");
    }
}
