package com.cwgateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/** Checks the stand-in against the real SDK client: what it decodes, and what the SDK makes of each answer. */
class CloudWatchStandInTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private CloudWatchStandIn standIn;
    private CloudWatchClient client;

    @BeforeEach
    void start() {
        standIn = CloudWatchStandIn.start();
        client = standIn.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void decodesEveryFieldOfEveryValueForm() {
        Instant stamp = Instant.parse("2025-03-04T05:06:07.891Z");
        client.putMetricData(PutMetricDataRequest.builder().namespace("App/Checkout").metricData(
                MetricDatum.builder().metricName("Latency")
                        .dimensions(dim("Service", "cart"), dim("Stage", "prod"))
                        .value(12.25).unit(StandardUnit.MILLISECONDS).storageResolution(1).timestamp(stamp).build(),
                MetricDatum.builder().metricName("Sizes").values(1.0, 2.5, 1e20).counts(3.0, 1.0, 0.5)
                        .unit(StandardUnit.BYTES).timestamp(Instant.parse("2025-03-04T05:06:00Z")).build(),
                MetricDatum.builder().metricName("Batch").statisticValues(StatisticSet.builder()
                        .sampleCount(4.0).sum(10.5).minimum(-1.0).maximum(7.75).build()).build())
                .build());

        RecordedCall call = standIn.takeCall(WAIT);
        assertNotNull(call);
        assertEquals("PutMetricData", call.operation());
        assertEquals("App/Checkout", call.namespace());
        assertEquals("application/cbor", call.headers().get("content-type"));
        assertEquals("rpc-v2-cbor", call.headers().get("smithy-protocol"));
        assertFalse(call.gzipped(), "a small body is sent as is");
        assertEquals(call.bodyBytes(), call.wireBytes());
        assertEquals(1, call.attempt());

        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("Service", "cart");
        dims.put("Stage", "prod");
        List<RecordedDatum> expected = List.of(
                new RecordedDatum("Latency", dims, 12.25, null, null, null, "Milliseconds", 1, stamp),
                new RecordedDatum("Sizes", Map.of(), null, List.of(1.0, 2.5, 1e20), List.of(3.0, 1.0, 0.5), null,
                        "Bytes", null, Instant.parse("2025-03-04T05:06:00Z")),
                new RecordedDatum("Batch", Map.of(), null, null, null,
                        new RecordedDatum.StatisticSet(4.0, 10.5, -1.0, 7.75), null, null, null));
        assertEquals(expected, call.datums());
        assertEquals(List.of("Service", "Stage"), List.copyOf(call.datums().get(0).dimensions().keySet()));
        assertEquals(expected, standIn.acceptedDatums());
        assertTrue(call.accepted());
    }

    @Test
    void gunzipsLargeBodies() {
        List<MetricDatum> many = IntStream.range(0, 300).mapToObj(i -> MetricDatum.builder()
                .metricName("Metric" + i).dimensions(dim("Host", "host-number-" + i + ".example.internal"))
                .value((double) i).build()).toList();
        client.putMetricData(b -> b.namespace("Big").metricData(many));

        RecordedCall call = standIn.takeCall(WAIT);
        assertNotNull(call);
        assertTrue(call.gzipped());
        assertEquals("gzip", call.headers().get("content-encoding"));
        assertTrue(call.bodyBytes() >= 10240, "SDK compresses from 10240 bytes on: " + call.bodyBytes());
        assertTrue(call.bodyBytes() > call.wireBytes(), call.bodyBytes() + " vs " + call.wireBytes());
        assertEquals(300, call.datums().size());
        assertEquals("host-number-299.example.internal", call.datums().get(299).dimensions().get("Host"));
        assertEquals(299.0, call.datums().get(299).value());
    }

    @Test
    void throttlingIsRetriedUntilTheAttemptsRunOut() {
        standIn.enqueue(StandInResponse.throttling(), StandInResponse.throttling(), StandInResponse.throttling());

        CloudWatchException e = assertThrows(CloudWatchException.class, () -> putOne(client));

        assertEquals("Throttling", e.awsErrorDetails().errorCode());
        assertEquals(429, e.statusCode());
        assertTrue(e.isThrottlingException());
        assertEquals(List.of(1, 2, 3), standIn.calls().stream().map(RecordedCall::attempt).toList());
        assertTrue(standIn.acceptedCalls().isEmpty());
    }

    @Test
    void throttlingOnceThenSuccess() {
        standIn.enqueue(StandInResponse.throttling());

        putOne(client);

        assertEquals("Throttling", standIn.takeCall(WAIT).answer().errorCode());
        assertTrue(standIn.takeCall(WAIT).accepted(), "the retry gets the default ok");
        assertEquals(2, standIn.calls().size());
        assertEquals(1, standIn.acceptedCalls().size());
        assertEquals(1, standIn.acceptedDatums().size());
    }

    @Test
    void aThrottlingCodeOn400IsRetriedToo() {
        // CloudWatch's Query API sent Throttling with 400; the SDK goes by the code, so either status is retried.
        standIn.enqueue(StandInResponse.error(400, "Throttling", "Rate exceeded"));

        putOne(client);

        assertEquals(2, standIn.calls().size());
    }

    @Test
    void badRequestIsNotRetried() {
        standIn.enqueue(StandInResponse.badRequest("InvalidParameterValue", "The value NaN for Value is invalid."));

        CloudWatchException e = assertThrows(CloudWatchException.class, () -> putOne(client));

        assertInstanceOf(InvalidParameterValueException.class, e, "__type picks the modeled exception");
        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("The value NaN for Value is invalid.", e.awsErrorDetails().errorMessage());
        assertNotNull(e.requestId());
        assertEquals(1, standIn.calls().size());
    }

    @Test
    void rejectingDatumsNamesTheFirstInvalidOneAsCloudWatchDoes() {
        standIn.setDefaultResponder(StandInResponse.rejectingDatums(datum -> datum.value() != null && datum.value().isNaN()));
        List<MetricDatum> data = IntStream.range(0, 5).mapToObj(i -> MetricDatum.builder().metricName("m" + i)
                .value(i == 2 || i == 4 ? Double.NaN : i).build()).toList();

        InvalidParameterValueException e = assertThrows(InvalidParameterValueException.class,
                () -> client.putMetricData(b -> b.namespace("Poison").metricData(data)));
        putOne(client);

        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
        assertEquals("The value NaN for parameter MetricData.member.3.Value is invalid.",
                e.awsErrorDetails().errorMessage());
        assertEquals(List.of(false, true), standIn.calls().stream().map(RecordedCall::accepted).toList());
    }

    @Test
    void serverErrorIsRetried() {
        standIn.enqueue(StandInResponse.serverError(), StandInResponse.serverError(), StandInResponse.serverError());

        CloudWatchException e = assertThrows(CloudWatchException.class, () -> putOne(client));

        // The fault is modeled as InternalServiceFault; its Query error code, which errorCode() reports, is
        // InternalServiceError.
        assertInstanceOf(InternalServiceException.class, e);
        assertEquals("InternalServiceError", e.awsErrorDetails().errorCode());
        assertEquals(500, e.statusCode());
        assertEquals(3, standIn.calls().size());
    }

    @Test
    void accessDeniedIsNotRetried() {
        standIn.enqueue(StandInResponse.accessDenied());

        CloudWatchException e = assertThrows(CloudWatchException.class, () -> putOne(client));

        assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
        assertEquals(403, e.statusCode());
        assertEquals(1, standIn.calls().size());
    }

    @Test
    void droppedConnectionsAreRetriedAsClientErrors() {
        standIn.enqueue(StandInResponse.dropConnection(), StandInResponse.dropConnection(),
                StandInResponse.dropConnection());

        SdkException e = assertThrows(SdkException.class, () -> putOne(client));

        assertInstanceOf(SdkClientException.class, e, "no response, so no service exception: " + e);
        assertEquals(3, standIn.calls().size());
        assertEquals(3, standIn.calls().get(2).attempt());
        assertTrue(standIn.calls().get(0).answer().isDrop());
    }

    @Test
    void aDroppedConnectionThenSuccess() {
        standIn.enqueue(StandInResponse.dropConnection());

        putOne(client);

        assertEquals(List.of(false, true), standIn.calls().stream().map(RecordedCall::accepted).toList());
    }

    @Test
    void aDropOnAKeptAliveConnectionIsSeenOnce() {
        // HttpURLConnection may resend a request by itself when a reused connection fails; that would show here as
        // a second call with the same SDK attempt number and would eat the next scripted answer.
        putOne(client);
        standIn.enqueue(StandInResponse.dropConnection());

        putOne(client);

        assertEquals(2, standIn.connectionCount(), "one kept alive for the first two requests, one for the retry");
        assertEquals(List.of(1, 1, 2), standIn.calls().stream().map(RecordedCall::attempt).toList());
        assertEquals(List.of(true, false, true), standIn.calls().stream().map(RecordedCall::accepted).toList());
    }

    @Test
    void aSlowAnswerTimesTheAttemptOutWithoutHoldingOtherCallsOrClose() throws Exception {
        standIn.enqueue(StandInResponse.delayed(Duration.ofSeconds(60), StandInResponse.ok()));
        CloudWatchClient impatient = standIn.newClient(o -> o
                .apiCallAttemptTimeout(Duration.ofMillis(1500))
                .retryStrategy(AwsRetryStrategy.doNotRetry()));
        CompletableFuture<Void> slow = CompletableFuture.runAsync(() -> putOne(impatient));
        try {
            RecordedCall held = standIn.takeCall(WAIT);
            assertNotNull(held, "the slow call is recorded before its answer");
            assertEquals(Duration.ofSeconds(60), held.answer().delay());

            putOne(client); // answered at once: only the held call's connection waits
            assertTrue(standIn.takeCall(WAIT).accepted());

            ExecutionException e = assertThrows(ExecutionException.class, () -> slow.get(10, TimeUnit.SECONDS));
            assertInstanceOf(ApiCallAttemptTimeoutException.class, e.getCause());
        } finally {
            impatient.close();
        }

        // A delayed ok still counts as accepted: CloudWatch may store data whose answer the client never saw.
        standIn.enqueue(StandInResponse.delayed(Duration.ofSeconds(60), StandInResponse.ok()));
        CompletableFuture<Void> pending = CompletableFuture.runAsync(() -> putOne(client));
        assertNotNull(standIn.takeCall(WAIT));
        long start = System.nanoTime();
        standIn.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "close() waits for no delay");
        assertThrows(ExecutionException.class, () -> pending.get(10, TimeUnit.SECONDS));
    }

    @Test
    void recordsConcurrentCallsAndConsultsTheDefaultResponder() throws Exception {
        standIn.setDefaultResponder(call -> call.namespace().endsWith("odd")
                ? StandInResponse.badRequest("InvalidParameterValue", "odd") : StandInResponse.ok());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String namespace = t % 2 == 0 ? "Conc/even" : "Conc/odd";
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 5; i++) {
                    try {
                        client.putMetricData(b -> b.namespace(namespace)
                                .metricData(MetricDatum.builder().metricName("m").value(1.0).build()));
                    } catch (InvalidParameterValueException expected) {
                        // the odd namespaces are refused by the responder
                    }
                }
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertEquals(20, standIn.calls().size());
        assertEquals(10, standIn.acceptedCalls().size());
        assertTrue(standIn.acceptedCalls().stream().allMatch(c -> c.namespace().equals("Conc/even")));
        for (int i = 0; i < 20; i++) {
            assertNotNull(standIn.takeCall(WAIT));
        }
        assertNull(standIn.takeCall(Duration.ZERO), "every call was taken exactly once");
    }

    @Test
    void callsAtCloudWatchsLimitsAreAccepted() {
        standIn.enqueue(StandInResponse.ok(), StandInResponse.ok());
        client.putMetricData(b -> b.namespace("Limits").metricData(singles(1000)));
        client.putMetricData(b -> b.namespace("Limits").metricData(MetricDatum.builder().metricName("Wide")
                .dimensions(dims(30)).values(numbers(150)).counts(numbers(150)).build()));

        assertEquals(List.of(1000, 1), standIn.acceptedCalls().stream().map(c -> c.datums().size()).toList());
        assertNull(standIn.calls().get(1).overLimit());
    }

    @Test
    void moreThan1000DatumsAreRefusedAsCloudWatchDoesWhateverTheScriptSays() {
        standIn.enqueue(StandInResponse.ok());

        CloudWatchException e = refused(b -> b.namespace("Limits").metricData(singles(1001)));

        assertEquals("The collection MetricData must not have a size greater than 1000.",
                e.awsErrorDetails().errorMessage());
        client.putMetricData(b -> b.namespace("Limits").metricData(singles(1)));
        assertTrue(standIn.calls().get(1).accepted(), "the scripted answer was left for the next call");
    }

    @Test
    void moreThan150ValuesOrCountsAreRefused() {
        CloudWatchException values = refused(b -> b.namespace("Limits").metricData(singles(1).getFirst(),
                MetricDatum.builder().metricName("Wide").values(numbers(151)).build()));
        CloudWatchException counts = refused(b -> b.namespace("Limits").metricData(
                MetricDatum.builder().metricName("Wide").values(numbers(150)).counts(numbers(151)).build()));

        assertEquals("The collection MetricData.member.2.Values must not have a size greater than 150.",
                values.awsErrorDetails().errorMessage());
        assertEquals("The collection MetricData.member.1.Counts must not have a size greater than 150.",
                counts.awsErrorDetails().errorMessage());
    }

    @Test
    void moreThan30DimensionsAreRefusedRepeatedNamesIncluded() {
        List<Dimension> repeated = new ArrayList<>(dims(30));
        repeated.add(dim("d0", "again"));

        CloudWatchException e = refused(b -> b.namespace("Limits").metricData(
                MetricDatum.builder().metricName("Deep").dimensions(repeated).value(1.0).build()));

        assertEquals("The collection MetricData.member.1.Dimensions must not have a size greater than 30.",
                e.awsErrorDetails().errorMessage());
    }

    /** The body is counted as CloudWatch counts it, uncompressed: 1,000,000 bytes pass, one more does not. */
    @Test
    void aBodyOverAMillionBytesIsRefusedAndOneOfExactlyAMillionIsNot() {
        client.putMetricData(b -> b.namespace("Limits").metricData(nearlyAMillionBytes(0)));
        int probe = standIn.takeCall(WAIT).bodyBytes();
        int toLimit = 1_000_000 - probe;

        client.putMetricData(b -> b.namespace("Limits").metricData(nearlyAMillionBytes(toLimit)));
        RecordedCall exact = standIn.takeCall(WAIT);
        CloudWatchException e = refused(b -> b.namespace("Limits").metricData(nearlyAMillionBytes(toLimit + 1)));

        assertTrue(toLimit > 0, probe + " bytes");
        assertEquals(1_000_000, exact.bodyBytes());
        assertTrue(exact.gzipped() && exact.accepted(), exact.toString());
        assertEquals("The request size 1000001 exceeded the limit of 1000000 bytes.", e.awsErrorDetails().errorMessage());
        assertEquals(1_000_001, standIn.takeCall(WAIT).bodyBytes());
    }

    /** The counting mode, for the bench: points as CallTally defines them, no call kept, wire bytes as recorded. */
    @Test
    void countingCountsCallsDatumsAndPointsOfEveryValueFormAndKeepsNoCall() {
        List<java.util.function.Consumer<PutMetricDataRequest.Builder>> requests = List.of(
                b -> b.namespace("Count").metricData(
                        MetricDatum.builder().metricName("One").value(7.0).build(),
                        MetricDatum.builder().metricName("Values").values(1.0, 2.0, 3.0).build(),
                        MetricDatum.builder().metricName("Counted").values(1.0, 2.0, 3.0).counts(3.0, 1.0, 0.5).build(),
                        MetricDatum.builder().metricName("Stats").statisticValues(StatisticSet.builder()
                                .sampleCount(4.0).sum(10.0).minimum(1.0).maximum(4.0).build()).build()),
                b -> b.namespace("Count").metricData(singles(1000)));
        long before = System.currentTimeMillis();
        try (CloudWatchStandIn counter = CloudWatchStandIn.startCounting();
             CloudWatchClient counting = counter.newClient()) {
            requests.forEach(counting::putMetricData);
            requests.forEach(client::putMetricData);

            CloudWatchStandIn.Counts counts = counter.counts();
            assertEquals(2, counts.calls());
            assertEquals(1004, counts.datums());
            assertEquals(1 + 3 + 4.5 + 4 + 1000, counts.points());
            assertEquals(standIn.calls().stream().mapToLong(RecordedCall::wireBytes).sum(), counts.wireBytes(),
                    "the same bodies, gzipped or not, as the recording stand-in got");
            assertTrue(standIn.calls().get(1).gzipped(), "one of them gzipped");
            assertEquals(0, counts.errors());
            assertTrue(counts.firstCallMs() >= before && counts.lastCallMs() >= counts.firstCallMs(), counts.toString());
            assertThrows(IllegalStateException.class, counter::calls, "a counting stand-in keeps no call");
            assertThrows(IllegalStateException.class, () -> counter.enqueue(StandInResponse.serverError()));
            assertThrows(IllegalStateException.class, standIn::counts, "a recording stand-in does not count");

            counter.resetCounts();
            assertEquals(new CloudWatchStandIn.Counts(0, 0, 0, 0, 0, 0, 0, 0), counter.counts());
        }
    }

    /** What bench/run.sh and bench/ab.sh read: GET /counts as JSON (whole numbers without a fraction), POST /reset. */
    @Test
    void countingServesCountsAsJsonAndResets() throws Exception {
        try (CloudWatchStandIn counter = CloudWatchStandIn.startCounting();
             CloudWatchClient counting = counter.newClient();
             HttpClient http = HttpClient.newHttpClient()) {
            counting.putMetricData(b -> b.namespace("Count").metricData(
                    MetricDatum.builder().metricName("Counted").values(1.0, 2.0).counts(1.0, 0.5).build()));
            counting.putMetricData(b -> b.namespace("Count").metricData(singles(2)));
            CloudWatchStandIn.Counts counts = counter.counts();

            HttpResponse<String> json = http.send(HttpRequest.newBuilder(counter.endpoint().resolve("/counts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, json.statusCode());
            assertEquals("application/json", json.headers().firstValue("content-type").orElse(null));
            assertEquals("{\"calls\":2,\"datums\":3,\"points\":3.5,\"wireBytes\":" + counts.wireBytes()
                    + ",\"errors\":0,\"firstCallMs\":" + counts.firstCallMs() + ",\"lastCallMs\":"
                    + counts.lastCallMs() + ",\"busyMs\":" + counts.busyMs() + "}", json.body());

            counting.putMetricData(b -> b.namespace("Count").metricData(singles(1)));
            HttpResponse<String> reset = http.send(HttpRequest.newBuilder(counter.endpoint().resolve("/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(204, reset.statusCode());
            assertEquals("{\"calls\":0,\"datums\":0,\"points\":0,\"wireBytes\":0,\"errors\":0,\"firstCallMs\":0,"
                    + "\"lastCallMs\":0,\"busyMs\":0}", http.send(HttpRequest.newBuilder(
                    counter.endpoint().resolve("/counts")).build(), HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    /**
     * Every limit, just at it and just over it, sent to a recording and a counting stand-in: both accept the
     * same calls and refuse the same with the same answer, and the counting one counts only what it accepted.
     */
    @Test
    void bothModesAcceptAndRefuseAlikeAtEveryLimit() {
        client.putMetricData(b -> b.namespace("Limits").metricData(nearlyAMillionBytes(0)));
        int toLimit = 1_000_000 - standIn.takeCall(WAIT).bodyBytes();
        List<Double> twice = new ArrayList<>(numbers(150));
        List<Dimension> repeated = new ArrayList<>(dims(30));
        repeated.add(dim("d0", "again"));
        Map<String, java.util.function.Consumer<PutMetricDataRequest.Builder>> cases = new LinkedHashMap<>();
        cases.put("1000 datums", b -> b.namespace("Limits").metricData(singles(1000)));
        cases.put("1001 datums", b -> b.namespace("Limits").metricData(singles(1001)));
        cases.put("30 dimensions, 150 values and counts", b -> b.namespace("Limits").metricData(MetricDatum.builder()
                .metricName("Wide").dimensions(dims(30)).values(numbers(150)).counts(twice).build()));
        cases.put("151 values", b -> b.namespace("Limits").metricData(singles(1).getFirst(),
                MetricDatum.builder().metricName("Wide").values(numbers(151)).build()));
        cases.put("151 counts", b -> b.namespace("Limits").metricData(
                MetricDatum.builder().metricName("Wide").values(numbers(150)).counts(numbers(151)).build()));
        cases.put("31 dimensions, a name repeated", b -> b.namespace("Limits").metricData(
                MetricDatum.builder().metricName("Deep").dimensions(repeated).value(1.0).build()));
        cases.put("dimensions over the limit before values over it", b -> b.namespace("Limits").metricData(
                MetricDatum.builder().metricName("Both").values(numbers(151)).dimensions(repeated).build()));
        cases.put("1,000,000 bytes", b -> b.namespace("Limits").metricData(nearlyAMillionBytes(toLimit)));
        cases.put("1,000,001 bytes", b -> b.namespace("Limits").metricData(nearlyAMillionBytes(toLimit + 1)));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("1000 datums", "accepted");
        expected.put("1001 datums", "400 InvalidParameterValue: The collection MetricData must not have a size greater than 1000.");
        expected.put("30 dimensions, 150 values and counts", "accepted");
        expected.put("151 values", "400 InvalidParameterValue: The collection MetricData.member.2.Values must not have a size greater than 150.");
        expected.put("151 counts", "400 InvalidParameterValue: The collection MetricData.member.1.Counts must not have a size greater than 150.");
        expected.put("31 dimensions, a name repeated", "400 InvalidParameterValue: The collection MetricData.member.1.Dimensions must not have a size greater than 30.");
        expected.put("dimensions over the limit before values over it", "400 InvalidParameterValue: The collection MetricData.member.1.Dimensions must not have a size greater than 30.");
        expected.put("1,000,000 bytes", "accepted");
        expected.put("1,000,001 bytes", "400 InvalidParameterValue: The request size 1000001 exceeded the limit of 1000000 bytes.");

        try (CloudWatchStandIn counter = CloudWatchStandIn.startCounting();
             CloudWatchClient counting = counter.newClient()) {
            Map<String, String> recorded = new LinkedHashMap<>();
            Map<String, String> counted = new LinkedHashMap<>();
            cases.forEach((name, request) -> {
                recorded.put(name, outcome(client, request));
                counted.put(name, outcome(counting, request));
            });

            assertEquals(expected, recorded);
            assertEquals(expected, counted);
            CloudWatchStandIn.Counts counts = counter.counts();
            assertEquals(3, counts.calls(), counts.toString());
            assertEquals(1000 + 1 + 32, counts.datums());
            assertEquals(6, counts.errors(), "a refused call is counted as an error and nothing else");
        }
    }

    /** A body that is not a CBOR map, or a call that is not PutMetricData, gets the same 400 in both modes. */
    @Test
    void bothModesRefuseWhatIsNotAPutMetricDataCallAlike() throws Exception {
        byte[] notAMap = {(byte) 0x81, 0x01}; // the CBOR array [1]
        byte[] notCbor = {(byte) 0xff, (byte) 0xff, 0x00};
        try (CloudWatchStandIn counter = CloudWatchStandIn.startCounting();
             HttpClient http = HttpClient.newHttpClient()) {
            for (CloudWatchStandIn target : List.of(standIn, counter)) {
                for (String path : List.of("/service/GraniteServiceVersion20100801/operation/PutMetricData",
                        "/service/GraniteServiceVersion20100801/operation/GetMetricData")) {
                    for (byte[] body : List.of(notAMap, notCbor)) {
                        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(target.endpoint().resolve(path))
                                        .header("Content-Type", "application/cbor")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertEquals(400, answer.statusCode(), path);
                        assertEquals("SerializationException;Sender",
                                answer.headers().firstValue("x-amzn-query-error").orElse(null), path);
                    }
                }
            }
            assertEquals(4, counter.counts().errors());
            assertEquals(0, counter.counts().calls());
            assertTrue(standIn.calls().stream().noneMatch(RecordedCall::decoded), standIn.calls().toString());
        }
    }

    /** "accepted", or the refusal as "status code: message". */
    private static String outcome(CloudWatchClient c, java.util.function.Consumer<PutMetricDataRequest.Builder> request) {
        try {
            c.putMetricData(request);
            return "accepted";
        } catch (CloudWatchException e) {
            return e.statusCode() + " " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        }
    }

    /** Sends {@code request}, which must be refused as CloudWatch refuses a call over its limits: 400, not retried. */
    private CloudWatchException refused(java.util.function.Consumer<PutMetricDataRequest.Builder> request) {
        int before = standIn.calls().size();
        CloudWatchException e = assertThrows(CloudWatchException.class, () -> client.putMetricData(request));
        assertInstanceOf(InvalidParameterValueException.class, e);
        assertEquals("InvalidParameterValue", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals(before + 1, standIn.calls().size(), "a 400 is not retried");
        RecordedCall call = standIn.calls().getLast();
        assertEquals(e.awsErrorDetails().errorMessage(), call.overLimit());
        assertFalse(call.accepted());
        return e;
    }

    private static List<MetricDatum> singles(int count) {
        return IntStream.range(0, count).mapToObj(i -> MetricDatum.builder().metricName("m" + i).value(1.0).build())
                .toList();
    }

    private static List<Double> numbers(int count) {
        return IntStream.range(0, count).mapToObj(i -> (double) i + 1).toList();
    }

    private static List<Dimension> dims(int count) {
        return IntStream.range(0, count).mapToObj(i -> dim("d" + i, "v")).toList();
    }

    /**
     * 32 datums of 30 dimensions with 1000-character values (about 975,000 bytes), and {@code extra} characters
     * more spread over the last datum's values. Each value stays between 256 and 8000 characters, so its CBOR
     * header stays 3 bytes and the encoder never splits it into chunks: the body grows by exactly {@code extra}.
     */
    private static List<MetricDatum> nearlyAMillionBytes(int extra) {
        List<MetricDatum> datums = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            List<Dimension> dimensions = new ArrayList<>();
            for (int d = 0; d < 30; d++) {
                int length = 1000 + (i == 31 ? extra / 30 + (d < extra % 30 ? 1 : 0) : 0);
                dimensions.add(dim("d" + d, "v".repeat(length)));
            }
            datums.add(MetricDatum.builder().metricName("m" + i).dimensions(dimensions).value(1.0).build());
        }
        return datums;
    }

    private static void putOne(CloudWatchClient c) {
        c.putMetricData(b -> b.namespace("StandIn/Test")
                .metricData(MetricDatum.builder().metricName("Requests").value(1.0).build()));
    }

    private static Dimension dim(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
