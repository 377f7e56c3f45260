package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.RecordedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chunks hold at most CloudWatch's 1000 datums and 1,000,000 bytes by the size bound, filled greedily, in order. */
@Timeout(60)
class ChunkerTest {

    private static final long MINUTE = 1_772_366_400_000L;

    private static List<Datum> small(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Datum("m" + i, List.of(), new MetricValue.Single(i), null,
                null, MINUTE)).toList();
    }

    /** The largest datums a client may send: 30 dimensions of 255-character names and 1024-character values. */
    private static List<Datum> largest(int count) {
        List<Datum> datums = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Dimension> dimensions = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                dimensions.add(new Dimension(String.format("%03d", d) + "n".repeat(252), (i + "v").repeat(1024)
                        .substring(0, 1024)));
            }
            double[] values = IntStream.range(0, 150).mapToDouble(v -> v + 0.5).toArray();
            datums.add(new Datum("m" + i + "x".repeat(250), dimensions, new MetricValue.Distribution(values, values),
                    "Milliseconds", 1, MINUTE));
        }
        return datums;
    }

    private static int bytes(String namespace, List<Datum> chunk) {
        return RequestSize.envelope(namespace) + chunk.stream().mapToInt(RequestSize::of).sum();
    }

    @Test
    void nothingMakesNoChunk() {
        assertEquals(List.of(), Chunker.chunks("N", List.of()));
    }

    @Test
    void smallDatumsGoInChunksOfAThousandInOrder() {
        List<Datum> datums = small(2500);

        List<List<Datum>> chunks = Chunker.chunks("N", datums);

        assertEquals(List.of(1000, 1000, 500), chunks.stream().map(List::size).toList());
        assertEquals(datums, chunks.stream().flatMap(List::stream).toList());
    }

    @Test
    void aThousandDatumsAreOneChunkAndOneMoreStartsAnother() {
        assertEquals(List.of(1000), Chunker.chunks("N", small(1000)).stream().map(List::size).toList());
        assertEquals(List.of(1000, 1), Chunker.chunks("N", small(1001)).stream().map(List::size).toList());
    }

    @Test
    void largeDatumsFillEachChunkUpToTheSizeBoundAndNoFurther() {
        String namespace = "N".repeat(255);
        List<Datum> datums = largest(100);

        List<List<Datum>> chunks = Chunker.chunks(namespace, datums);

        assertTrue(chunks.size() > 1, "the test needs more than one chunk");
        assertEquals(datums, chunks.stream().flatMap(List::stream).toList());
        for (int i = 0; i < chunks.size(); i++) {
            List<Datum> chunk = chunks.get(i);
            assertTrue(bytes(namespace, chunk) <= CloudWatchRules.MAX_REQUEST_BYTES, bytes(namespace, chunk) + " bytes");
            if (i + 1 < chunks.size()) {
                List<Datum> oneMore = new ArrayList<>(chunk);
                oneMore.add(chunks.get(i + 1).getFirst());
                assertTrue(bytes(namespace, oneMore) > CloudWatchRules.MAX_REQUEST_BYTES, "chunk " + i + " could hold more");
            }
        }
    }

    /** What the SDK really sends for the chunks is within CloudWatch's limits: the stand-in refuses anything over. */
    @Test
    void theSdkSendsEveryChunkOfTheLargestDatumsWithinCloudWatchsLimits() throws Exception {
        String namespace = "N".repeat(255);
        List<List<Datum>> chunks = Chunker.chunks(namespace, largest(80));
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             CloudWatchSink sink = new CloudWatchSink(cloudWatch.newClient())) {
            for (List<Datum> chunk : chunks) {
                sink.publish(namespace, chunk, Duration.ofSeconds(10));
                RecordedCall call = cloudWatch.takeCall(Duration.ofSeconds(10));
                assertNotNull(call);
                assertTrue(call.accepted(), call.overLimit());
                assertEquals(chunk.size(), call.datums().size());
            }
        }
    }
}
