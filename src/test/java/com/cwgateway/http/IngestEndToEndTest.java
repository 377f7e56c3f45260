package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Data posted to the real server arrives at the CloudWatch stand-in through the real SDK, as sent. */
class IngestEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static final String SEED_METRICS = "{\"Namespace\":\"MyApp\",\"MetricData\":[{\"MetricName\":\"Requests\","
            + "\"Dimensions\":[{\"Name\":\"ServiceName\",\"Value\":\"UserService\"}],\"Value\":1,\"Unit\":\"Count\"}]}";

    static final String SEED_BATCH = "[{\"Namespace\":\"MyApp\",\"MetricData\":[{\"MetricName\":\"Latency\","
            + "\"Dimensions\":[{\"Name\":\"ServiceName\",\"Value\":\"UserService\"},{\"Name\":\"Operation\",\"Value\":\"Login\"}],"
            + "\"Value\":42.5,\"Unit\":\"Milliseconds\",\"Timestamp\":\"2026-01-01T00:00:00.000Z\"}]},"
            + "{\"Namespace\":\"MyApp/Jobs\",\"MetricData\":[{\"MetricName\":\"Processed\",\"Value\":7,\"Unit\":\"Count\"}]}]";

    @Test
    void seedMetricsExampleArrivesWithDimensionsUnitAndIngestTimestamp() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_AGGREGATION", "false"))) {
            Instant before = Instant.now();
            HttpResponse<String> response = gateway.postJson("/metrics", SEED_METRICS);
            Instant after = Instant.now();

            assertEquals(202, response.statusCode());
            assertEquals("{\"accepted\":1}", response.body());
            RecordedCall call = gateway.cloudWatch.takeCall(WAIT);
            assertNotNull(call);
            assertEquals("MyApp", call.namespace());
            RecordedDatum datum = call.datums().getFirst();
            assertEquals("Requests", datum.metricName());
            assertEquals(Map.of("ServiceName", "UserService"), datum.dimensions());
            assertEquals(1.0, datum.value());
            assertEquals("Count", datum.unit());
            // Stamped when received, not when flushed (at least 200 ms later).
            assertTrue(!datum.timestamp().isBefore(before.minusMillis(1)) && !datum.timestamp().isAfter(after),
                    datum.timestamp() + " not in [" + before + ", " + after + "]");
        }
    }

    @Test
    void aggregatedSeedExampleLandsInTheMinuteItWasReceived() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            Instant before = Instant.now();
            assertEquals(202, gateway.postJson("/metrics", SEED_METRICS).statusCode());
            Instant after = Instant.now();

            RecordedDatum datum = gateway.cloudWatch.takeCall(WAIT).datums().getFirst();

            assertEquals("Requests", datum.metricName());
            assertEquals(Map.of("ServiceName", "UserService"), datum.dimensions());
            assertEquals(1.0, datum.value()); // one point stays a plain Value
            assertEquals("Count", datum.unit());
            assertTrue(datum.timestamp().equals(before.truncatedTo(ChronoUnit.MINUTES))
                    || datum.timestamp().equals(after.truncatedTo(ChronoUnit.MINUTES)), datum.timestamp().toString());
        }
    }

    @Test
    void seedBatchExampleArrivesPerNamespaceWithItsTimestamp() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            Instant sent = Instant.parse("2026-01-01T00:00:00Z");
            String batch = SEED_BATCH.replace("2026-01-01T00:00:00.000Z", Instant.now().minusSeconds(60).toString());
            HttpResponse<String> response = gateway.postJson("/batch", batch);
            assertEquals(202, response.statusCode(), response.body());
            assertEquals("{\"accepted\":2}", response.body());

            gateway.gateway.close(); // the shutdown flush delivers, long before the hourly interval

            Map<String, RecordedDatum> byNamespace = new LinkedHashMap<>();
            for (RecordedCall call : gateway.cloudWatch.acceptedCalls()) {
                assertEquals(1, call.datums().size());
                byNamespace.put(call.namespace(), call.datums().getFirst());
            }
            assertEquals(Set.of("MyApp", "MyApp/Jobs"), byNamespace.keySet());
            RecordedDatum latency = byNamespace.get("MyApp");
            assertEquals(Map.of("ServiceName", "UserService", "Operation", "Login"), latency.dimensions());
            assertEquals(42.5, latency.value());
            assertEquals("Milliseconds", latency.unit());
            assertTrue(latency.timestamp().isAfter(sent));
            assertEquals(7.0, byNamespace.get("MyApp/Jobs").value());
        }
    }

    @Test
    void theSameDimensionsInAnyOrderAreOneSeries() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            String a = "{\"Name\":\"Zone\",\"Value\":\"a\"}";
            String b = "{\"Name\":\"Host\",\"Value\":\"h\"}";
            assertEquals(202, gateway.postJson("/metrics", "{\"Namespace\":\"Order\",\"MetricData\":["
                    + "{\"MetricName\":\"M\",\"Dimensions\":[" + a + "," + b + "],\"Value\":1},"
                    + "{\"MetricName\":\"M\",\"Dimensions\":[" + b + "," + a + "],\"Value\":2}]}").statusCode());
            gateway.gateway.close();
            List<RecordedDatum> datums = gateway.cloudWatch.acceptedDatums();
            assertEquals(1, datums.size(), datums.toString());
            assertEquals(List.of(1.0, 2.0), datums.getFirst().values().stream().sorted().toList());
            assertEquals(Map.of("Zone", "a", "Host", "h"), datums.getFirst().dimensions());
        }
    }

    @Test
    void bodiesReadIntoReusedArraysNeverMixWithTheOnesBefore() throws Exception {
        // 40 KB, then 20 KB, then a 17 KB body cut short: each is read into the array the one before used
        // (bodies of 16 to 256 KB share arrays), and must be read as exactly its own bytes.
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            String large = namedDatums("large", 1000);
            String smaller = namedDatums("smaller", 500);
            assertTrue(large.length() > 32 * 1024 && smaller.length() > 16 * 1024, large.length() + " " + smaller.length());
            assertEquals(202, gateway.postJson("/batch", large).statusCode());
            assertEquals(202, gateway.postJson("/batch", smaller).statusCode());
            HttpResponse<String> cut = gateway.postJson("/batch", large.substring(0, 17 * 1024));
            assertEquals(400, cut.statusCode(), cut.body());
            assertTrue(cut.body().contains("InvalidJson"), cut.body());
            gateway.gateway.close();
            Set<String> names = new HashSet<>();
            gateway.cloudWatch.acceptedDatums().forEach(d -> names.add(d.metricName()));
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                expected.add("large" + i);
                if (i < 500) {
                    expected.add("smaller" + i);
                }
            }
            assertEquals(expected, names);
        }
    }

    /** A /batch body of one input with {@code count} datums named {@code prefix0, prefix1, ...}. */
    private static String namedDatums(String prefix, int count) {
        List<String> datums = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            datums.add("{\"MetricName\":\"" + prefix + i + "\",\"Value\":" + i + ",\"Unit\":\"Count\"}");
        }
        return "[{\"Namespace\":\"Arrays\",\"MetricData\":[" + String.join(",", datums) + "]}]";
    }

    @Test
    void everyValueFormAndOptionalFieldArrivesAsSent() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_AGGREGATION", "false"))) {
            long seconds = Instant.now().getEpochSecond() - 120;
            String body = "{\"Namespace\":\"Forms\",\"MetricData\":["
                    + "{\"MetricName\":\"dist\",\"Values\":[1.5,2,3],\"Counts\":[1,4,2],\"Unit\":\"Seconds\",\"StorageResolution\":1,\"Timestamp\":" + seconds + "},"
                    + "{\"MetricName\":\"plain\",\"Values\":[9],\"Timestamp\":" + (seconds * 1000 + 250) + "},"
                    + "{\"MetricName\":\"stats\",\"StatisticValues\":{\"SampleCount\":10,\"Sum\":55,\"Minimum\":1,\"Maximum\":10},\"StorageResolution\":60,\"Timestamp\":\"" + Instant.ofEpochSecond(seconds) + "\"}]}";
            assertEquals(202, gateway.postJson("/metrics", body).statusCode());

            List<RecordedDatum> datums = gateway.cloudWatch.takeCall(WAIT).datums();
            RecordedDatum dist = datums.get(0);
            assertEquals(List.of(1.5, 2.0, 3.0), dist.values());
            assertEquals(List.of(1.0, 4.0, 2.0), dist.counts());
            assertEquals("Seconds", dist.unit());
            assertEquals(1, dist.storageResolution());
            assertEquals(Instant.ofEpochSecond(seconds), dist.timestamp());
            RecordedDatum plain = datums.get(1);
            assertEquals(List.of(9.0), plain.values());
            assertNull(plain.unit());
            assertNull(plain.storageResolution());
            assertEquals(Instant.ofEpochMilli(seconds * 1000 + 250), plain.timestamp());
            RecordedDatum stats = datums.get(2);
            assertEquals(new RecordedDatum.StatisticSet(10, 55, 1, 10), stats.statistics());
            assertEquals(60, stats.storageResolution());
            assertEquals(Instant.ofEpochSecond(seconds), stats.timestamp());
        }
    }

    @Test
    void gzipBodiesAreAccepted() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            HttpResponse<String> response = gateway.postGzip("/metrics", SEED_METRICS);

            assertEquals(202, response.statusCode(), response.body());
            assertEquals("Requests", gateway.cloudWatch.takeCall(WAIT).datums().getFirst().metricName());
        }
    }

    @Test
    void chunksAtOneThousandDatums() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            List<String> inputs = new ArrayList<>();
            for (int input = 0; input < 5; input++) {
                List<String> datums = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    datums.add("{\"MetricName\":\"m" + (input * 500 + i) + "\",\"Value\":" + i + "}");
                }
                inputs.add("{\"Namespace\":\"Big\",\"MetricData\":[" + String.join(",", datums) + "]}");
            }
            assertEquals(202, gateway.postJson("/batch", "[" + String.join(",", inputs) + "]").statusCode());

            gateway.gateway.close();

            List<Integer> sizes = gateway.cloudWatch.acceptedCalls().stream().map(c -> c.datums().size()).sorted().toList();
            assertEquals(List.of(500, 1000, 1000), sizes);
            Set<String> names = new HashSet<>();
            gateway.cloudWatch.acceptedDatums().forEach(d -> names.add(d.metricName()));
            assertEquals(2500, names.size());
        }
    }

    @Test
    void chunksUnderOneMegabyteAsTheSdkSendsIt() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of(
                "METRICS_FLUSH_INTERVAL", "3600000", "MAX_BODY_BYTES", "16777216"))) {
            // 30 dimensions with 1024-character values (ASCII, as CloudWatch requires): about 31 KB a datum,
            // 2.5 MB in all. Sizes of multi-byte text are RequestSizeTest's.
            String value = "v".repeat(1024);
            List<String> dimensions = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                dimensions.add("{\"Name\":\"dimension" + d + "\",\"Value\":\"" + value + "\"}");
            }
            List<String> datums = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                datums.add("{\"MetricName\":\"wide" + i + "\",\"Values\":[1,2,3],\"Counts\":[1,1,1],\"Unit\":\"Count\","
                        + "\"Dimensions\":[" + String.join(",", dimensions) + "]}");
            }
            String body = "{\"Namespace\":\"Wide\",\"MetricData\":[" + String.join(",", datums) + "]}";
            assertEquals(202, gateway.postJson("/metrics", body).statusCode());

            gateway.gateway.close();

            List<RecordedCall> calls = gateway.cloudWatch.acceptedCalls();
            assertTrue(calls.size() >= 3, "80 datums of ~31 KB need at least 3 calls, made " + calls.size());
            int total = 0;
            for (RecordedCall call : calls) {
                assertTrue(call.bodyBytes() < 1_000_000, "a request of " + call.bodyBytes() + " bytes");
                total += call.datums().size();
            }
            assertEquals(80, total);
            // Chunks are filled, not needlessly small: every call but the remainder is more than 80% full
            // (calls go out several at a time, so the remainder is the smallest, not the last).
            List<Integer> bytes = calls.stream().map(RecordedCall::bodyBytes).sorted().toList();
            for (int size : bytes.subList(1, bytes.size())) {
                assertTrue(size > 800_000, "a chunk of only " + size + " bytes");
            }
        }
    }

    @Test
    void aFailedCallKeepsItsDatumsForTheNextFlush() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            // Three 500s exhaust the SDK's three attempts of the first flush's call.
            gateway.cloudWatch.enqueue(StandInResponse.serverError(), StandInResponse.serverError(),
                    StandInResponse.serverError());
            assertEquals(202, gateway.postJson("/metrics", SEED_METRICS).statusCode());

            RecordedCall delivered = null;
            for (int calls = 0; calls < 4 && delivered == null; calls++) {
                RecordedCall call = gateway.cloudWatch.takeCall(WAIT);
                assertNotNull(call);
                delivered = call.accepted() ? call : null;
            }

            assertNotNull(delivered, "the datum was not delivered after the failures");
            assertEquals(4, gateway.cloudWatch.calls().size());
            assertEquals(1, gateway.cloudWatch.acceptedDatums().size());
        }
    }
}
