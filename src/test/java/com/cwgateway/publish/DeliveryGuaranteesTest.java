package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.AdjustableClock;
import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Once the gateway answers 202, every point reaches CloudWatch exactly once, or is dropped and counted for
 * a reason the user can act on; here through the real server and SDK, with faults scripted in the stand-in.
 */
class DeliveryGuaranteesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Posts {@code count} datums, metric {@code prefix+i} with value i; returns name to value. */
    private static Map<String, Double> post(GatewayUnderTest gateway, String prefix, int count) throws Exception {
        Map<String, Double> sent = new HashMap<>();
        List<String> datums = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.put(prefix + i, (double) i);
            datums.add("{\"MetricName\":\"" + prefix + i + "\",\"Value\":" + i + ",\"Unit\":\"Count\"}");
        }
        var response = gateway.postJson("/metrics",
                "{\"Namespace\":\"Faults\",\"MetricData\":[" + String.join(",", datums) + "]}");
        assertEquals(202, response.statusCode(), response.body());
        return sent;
    }

    /** Waits until {@code expected} datums were accepted by the stand-in, then checks each came exactly once. */
    private static void assertDeliveredExactlyOnce(GatewayUnderTest gateway, Map<String, Double> sent) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (gateway.cloudWatch.acceptedDatums().size() < sent.size() && System.nanoTime() < deadline) {
            gateway.cloudWatch.takeCall(Duration.ofMillis(500));
        }
        gateway.gateway.close(); // lets a flush in progress finish its bookkeeping
        Map<String, Double> delivered = new HashMap<>();
        for (RecordedDatum datum : gateway.cloudWatch.acceptedDatums()) {
            Double before = delivered.put(datum.metricName(), datum.value());
            assertEquals(null, before, "delivered twice: " + datum.metricName());
        }
        assertEquals(sent, delivered);
        DeliveryStats.Snapshot ledger = gateway.gateway.stats().snapshot();
        assertEquals(ledger.accepted(), ledger.published());
    }

    @Test
    void throttlingForSeveralCallsCostsOnlyDelay() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            // Seven throttles: the SDK's 3 attempts of two flushes, and one more.
            for (int i = 0; i < 7; i++) {
                gateway.cloudWatch.enqueue(StandInResponse.throttling());
            }
            assertDeliveredExactlyOnce(gateway, post(gateway, "throttled", 200));
            assertEquals(8, gateway.cloudWatch.calls().size());
        }
    }

    @Test
    void aFailureAmongSeveralChunksKeepsEveryOneOfThem() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_AGGREGATION", "false"))) {
            // Six chunks of 1000; three of the first calls fail. What is left at the end goes out four at a
            // time in the final flush.
            gateway.cloudWatch.enqueue(StandInResponse.serverError(), StandInResponse.throttling(),
                    StandInResponse.serverError());
            Map<String, Double> sent = new HashMap<>();
            for (int request = 0; request < 6; request++) {
                sent.putAll(post(gateway, "r" + request + "-", 1000));
            }
            assertDeliveredExactlyOnce(gateway, sent);
        }
    }

    static Stream<Arguments> transientFailures() {
        return Stream.of(Arguments.of("server errors", StandInResponse.serverError()),
                Arguments.of("dropped connections", StandInResponse.dropConnection()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transientFailures")
    void transientFailuresCostOnlyDelay(String failures, StandInResponse failure) throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            for (int i = 0; i < 4; i++) {
                gateway.cloudWatch.enqueue(failure);
            }
            assertDeliveredExactlyOnce(gateway, post(gateway, "failed", 200));
        }
    }

    @Test
    void answersSlowerThanTheCallTimeoutCostOnlyDelay() throws Exception {
        // 900 ms a call, 300 ms an attempt. The slow answers are errors: had CloudWatch stored the data it
        // never answered for, the retry would store it twice (see the README: at least once under timeouts).
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("CLOUDWATCH_TIMEOUT_MS", "900"))) {
            for (int i = 0; i < 3; i++) {
                gateway.cloudWatch.enqueue(StandInResponse.delayed(Duration.ofSeconds(2), StandInResponse.serverError()));
            }
            assertDeliveredExactlyOnce(gateway, post(gateway, "slow", 200));
        }
    }

    @Test
    void credentialFailuresKeepTheDataUntilTheyPass() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            gateway.cloudWatch.enqueue(StandInResponse.accessDenied(), StandInResponse.accessDenied());
            Map<String, Double> sent = post(gateway, "denied", 50);

            assertDeliveredExactlyOnce(gateway, sent);
            assertEquals(3, gateway.cloudWatch.calls().size(), "403 is not retried within a call, only across flushes");
        }
    }

    @Test
    void onePoisonDatumAmongAThousandIsIsolatedAndTheRestDelivered() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"))) {
            gateway.cloudWatch.setDefaultResponder(call -> call.datums().stream()
                    .anyMatch(datum -> datum.metricName().equals("item500"))
                    ? StandInResponse.badRequest("InvalidParameterValue", "The value for parameter MetricData.member.1 is invalid")
                    : StandInResponse.ok());
            Map<String, Double> sent = post(gateway, "item", 1000);

            gateway.gateway.close();

            sent.remove("item500");
            Map<String, Double> delivered = new HashMap<>();
            for (RecordedDatum datum : gateway.cloudWatch.acceptedDatums()) {
                assertEquals(null, delivered.put(datum.metricName(), datum.value()), "twice: " + datum.metricName());
            }
            assertEquals(sent, delivered);
            assertEquals(1, gateway.gateway.stats().snapshot().dropped().get(DeliveryStats.DropReason.REJECTED));
            assertEquals(999, gateway.gateway.stats().snapshot().published());
            // Halving finds one datum in 1000 with about two calls per level.
            assertTrue(gateway.cloudWatch.calls().size() <= 21, gateway.cloudWatch.calls().size() + " calls");
        }
    }

    @Test
    void pointsThatAgePastCloudWatchsWindowWhileWaitingAreDroppedAndCounted() throws Exception {
        AdjustableClock clock = new AdjustableClock();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_FLUSH_INTERVAL", "3600000"), clock)) {
            long almostTooOld = Instant.now().minus(Duration.ofDays(14)).plus(Duration.ofMinutes(11)).toEpochMilli();
            var response = gateway.postJson("/metrics", "{\"Namespace\":\"Faults\",\"MetricData\":["
                    + "{\"MetricName\":\"old\",\"Value\":1,\"Timestamp\":" + almostTooOld + "},"
                    + "{\"MetricName\":\"fresh\",\"Value\":2}]}");
            assertEquals(202, response.statusCode(), response.body());

            clock.advance(Duration.ofMinutes(15)); // a quarter of an hour before the flush: now too old
            gateway.gateway.close();

            List<String> delivered = gateway.cloudWatch.acceptedDatums().stream().map(RecordedDatum::metricName).toList();
            assertEquals(List.of("fresh"), delivered);
            assertEquals(1, gateway.gateway.stats().snapshot().dropped().get(DeliveryStats.DropReason.TOO_OLD));
        }
    }
}
