package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedDatum;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A full buffer refuses whole requests with 503 and Retry-After; everything it accepted is delivered. */
class BackPressureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room for a few requests of 300 new series (about 130 KB each). */
    private static final String BUFFER_BYTES = "524288";

    @ParameterizedTest(name = "METRICS_AGGREGATION={0}")
    @ValueSource(strings = {"true", "false"})
    void aFullBufferRefusesWholeRequestsAndLosesNothing(String aggregation) throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("METRICS_AGGREGATION", aggregation,
                "MAX_BUFFER_BYTES", BUFFER_BYTES, "METRICS_FLUSH_INTERVAL", "30000"))) {
            Set<String> accepted = new HashSet<>();
            HttpResponse<String> refused = null;
            for (int request = 0; request < 20 && refused == null; request++) {
                List<String> names = new ArrayList<>();
                List<String> datums = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    names.add("r" + request + "d" + i);
                    datums.add("{\"MetricName\":\"r" + request + "d" + i + "\",\"Value\":" + i + "}");
                }
                HttpResponse<String> response = gateway.postJson("/metrics",
                        "{\"Namespace\":\"Full\",\"MetricData\":[" + String.join(",", datums) + "]}");
                if (response.statusCode() == 202) {
                    accepted.addAll(names);
                } else {
                    refused = response;
                }
            }

            assertTrue(accepted.size() >= 300, "a request or more fits: " + accepted.size());
            assertEquals(503, refused.statusCode());
            assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(refused.body().contains("\"error\":\"BufferFull\""), refused.body());
            gateway.gateway.close();
            Set<String> delivered = new HashSet<>();
            for (RecordedDatum datum : gateway.cloudWatch.acceptedDatums()) {
                delivered.add(datum.metricName());
            }
            assertEquals(accepted, delivered, "every accepted datum, and nothing of the refused request");
        }
    }
    @Test
    void requestsRefusedForRoomDoNotUseUpTheSeriesCap() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_BUFFER_BYTES", BUFFER_BYTES,
                "MAX_SERIES", "2000", "METRICS_FLUSH_INTERVAL", "30000"))) {
            List<Integer> statuses = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (int request = 0; request < 10; request++) { // 300 new series each: 3000 in all, past MAX_SERIES
                List<String> datums = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    datums.add("{\"MetricName\":\"r" + request + "d" + i + "\",\"Value\":" + i + "}");
                }
                HttpResponse<String> response = gateway.postJson("/metrics",
                        "{\"Namespace\":\"Full\",\"MetricData\":[" + String.join(",", datums) + "]}");
                statuses.add(response.statusCode());
                errors.add(response.statusCode() == 202 ? "" : JSON.readTree(response.body()).path("error").asText());
            }
            int fitted = statuses.indexOf(503);
            assertTrue(fitted >= 1 && fitted <= 5, "some requests fit, too few to reach MAX_SERIES: " + statuses);
            assertEquals(Collections.nCopies(10 - fitted, 503), statuses.subList(fitted, 10), statuses.toString());
            assertEquals(Collections.nCopies(10 - fitted, "BufferFull"), errors.subList(fitted, 10),
                    "a full buffer is the reason every time: the refused requests' series were not counted");
        }
    }
}
