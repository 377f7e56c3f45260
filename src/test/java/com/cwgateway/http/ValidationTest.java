package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every CloudWatch rule, through the real server: each bad body gets 400 naming the field path and rule. */
class ValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayUnderTest.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A valid input around one datum's fields. */
    private static String input(String datumFields) {
        return "{\"Namespace\":\"App\",\"MetricData\":[{" + datumFields + "}]}";
    }

    private static String repeat(String text, int times) {
        return text.repeat(times);
    }

    private static String datums(int count) {
        List<String> datums = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            datums.add("{\"MetricName\":\"m\",\"Value\":1}");
        }
        return "{\"Namespace\":\"App\",\"MetricData\":[" + String.join(",", datums) + "]}";
    }

    private static String dimensions(int count) {
        List<String> dimensions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dimensions.add("{\"Name\":\"d" + i + "\",\"Value\":\"v\"}");
        }
        return "\"MetricName\":\"m\",\"Value\":1,\"Dimensions\":[" + String.join(",", dimensions) + "]";
    }

    private static String numbers(int count) {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            numbers.add(String.valueOf(i));
        }
        return "[" + String.join(",", numbers) + "]";
    }

    static Stream<Arguments> badInputs() {
        String m = "\"MetricName\":\"m\",";
        long now = Instant.now().getEpochSecond();
        return Stream.of(
                Arguments.of("{\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}", "Namespace", "is required"),
                Arguments.of("{\"Namespace\":\"\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must be 1 to 255 characters long"),
                Arguments.of("{\"Namespace\":\"" + repeat("n", 256) + "\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must be 1 to 255 characters long, is 256"),
                Arguments.of("{\"Namespace\":\":App\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must not start with ':'"),
                Arguments.of("{\"Namespace\":\"AWS/EC2\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must not start with 'AWS/'"),
                Arguments.of("{\"Namespace\":7,\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must be a string"),
                Arguments.of("{\"Namespace\":\"App\"}", "MetricData", "is required"),
                Arguments.of("{\"Namespace\":\"App\",\"MetricData\":[]}", "MetricData", "must contain at least 1 datum"),
                Arguments.of(datums(1001), "MetricData", "must contain at most 1000 datums, has 1001"),
                Arguments.of("{\"Namespace\":\"App\",\"MetricData\":{}}", "MetricData", "must be an array"),
                Arguments.of("{\"Namespace\":\"App\",\"MetricData\":[5]}", "MetricData[0]", "must be a MetricDatum object"),
                Arguments.of("{\"Namespace\":\"App\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}],\"EntityMetricData\":[]}",
                        "EntityMetricData", "is not supported"),
                Arguments.of("{\"Namespace\":\"App\",\"Namespaces\":\"x\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespaces", "is not a field of PutMetricData"),
                Arguments.of(input("\"Value\":1"), "MetricData[0].MetricName", "is required"),
                Arguments.of(input("\"MetricName\":\"\",\"Value\":1"), "MetricData[0].MetricName", "must be 1 to 255"),
                Arguments.of(input("\"MetricName\":\"" + repeat("x", 256) + "\",\"Value\":1"),
                        "MetricData[0].MetricName", "must be 1 to 255"),
                Arguments.of(input("\"MetricName\":[\"m\"],\"Value\":1"), "MetricData[0].MetricName", "must be a string"),
                Arguments.of(input(dimensions(31)), "MetricData[0].Dimensions", "at most 30 dimensions, has 31"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":{}"), "MetricData[0].Dimensions", "must be an array"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"\",\"Value\":\"v\"}]"),
                        "MetricData[0].Dimensions[0].Name", "must be 1 to 255"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\":h\",\"Value\":\"v\"}]"),
                        "MetricData[0].Dimensions[0].Name", "must not start with ':'"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"" + repeat("v", 1025) + "\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must be 1 to 1024 characters long, is 1025"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must be 1 to 1024"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\"}]"),
                        "MetricData[0].Dimensions[0].Value", "is required"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Value\":\"v\"}]"),
                        "MetricData[0].Dimensions[0].Name", "is required"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"a\"},{\"Name\":\"h\",\"Value\":\"b\"}]"),
                        "MetricData[0].Dimensions[1].Name", "names must be unique"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"z\",\"Value\":\"a\"},{\"Name\":\"b\",\"Value\":\"x\"},{\"Name\":\"z\",\"Value\":\"c\"}]"),
                        "MetricData[0].Dimensions[2].Name", "repeats the name of another dimension ('z')"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"a\",\"Unit\":\"x\"}]"),
                        "MetricData[0].Dimensions[0].Unit", "is not a field of PutMetricData"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"\\ud800\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must contain only ASCII characters, has U+D800 at index 0"),
                Arguments.of(input("\"MetricName\":\"m\\ud800\",\"Value\":1"), "MetricData[0].MetricName",
                        "unpaired surrogate"),
                Arguments.of("{\"Namespace\":\"F\u00fc\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must contain only ASCII characters, has U+00FC at index 1"),
                Arguments.of("{\"Namespace\":\"App\\u0007\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must not contain control characters, has U+0007 at index 3"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"Stra\u00dfe\",\"Value\":\"v\"}]"),
                        "MetricData[0].Dimensions[0].Name", "must contain only ASCII characters, has U+00DF at index 4"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"   \",\"Value\":\"v\"}]"),
                        "MetricData[0].Dimensions[0].Name", "must contain at least one non-whitespace character"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"\u65e5\u672c\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must contain only ASCII characters, has U+65E5 at index 0"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"x\ud83d\ude00\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must contain only ASCII characters, has U+1F600 at index 1"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"   \"}]"),
                        "MetricData[0].Dimensions[0].Value", "must contain at least one non-whitespace character"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"\\u0001\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must not contain control characters, has U+0001 at index 0"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"a\\tb\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must not contain control characters, has U+0009 at index 1"),
                Arguments.of(input(m + "\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"a\u007f\"}]"),
                        "MetricData[0].Dimensions[0].Value", "must not contain control characters, has U+007F at index 1"),
                Arguments.of(input("\"MetricName\":\"m\""), "MetricData[0]",
                        "must have one of Value, Values or StatisticValues"),
                Arguments.of(input(m + "\"Value\":1,\"Values\":[1]"), "MetricData[0]",
                        "must have only one of Value, Values and StatisticValues, has Value and Values"),
                Arguments.of(input(m + "\"Value\":1,\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1,\"Minimum\":1,\"Maximum\":1}"),
                        "MetricData[0]", "has Value and StatisticValues"),
                Arguments.of(input(m + "\"Value\":\"1\""), "MetricData[0].Value", "must be a number"),
                Arguments.of(input(m + "\"Value\":1e400"), "MetricData[0].Value", "must be a finite number"),
                Arguments.of(input(m + "\"Value\":-1e400"), "MetricData[0].Value", "must be a finite number"),
                Arguments.of(input(m + "\"Value\":1e-200"), "MetricData[0].Value", "must be 0 or have a magnitude between"),
                Arguments.of(input(m + "\"Value\":2e108"), "MetricData[0].Value", "must be 0 or have a magnitude between"),
                Arguments.of(input(m + "\"Values\":[]"), "MetricData[0].Values", "must have 1 to 150 items, has 0"),
                Arguments.of(input(m + "\"Values\":" + numbers(151)), "MetricData[0].Values", "must have 1 to 150 items, has 151"),
                Arguments.of(input(m + "\"Values\":[1,1e400]"), "MetricData[0].Values[1]", "must be a finite number"),
                Arguments.of(input(m + "\"Values\":[1,\"2\"]"), "MetricData[0].Values[1]", "must be a number"),
                Arguments.of(input(m + "\"Values\":5"), "MetricData[0].Values", "must be an array of numbers"),
                Arguments.of(input(m + "\"Value\":1,\"Counts\":[1]"), "MetricData[0].Counts",
                        "is only allowed together with Values"),
                Arguments.of(input(m + "\"Values\":[1,2],\"Counts\":[1]"), "MetricData[0].Counts",
                        "must have as many items as Values (2), has 1"),
                Arguments.of(input(m + "\"Values\":[1],\"Counts\":[-1]"), "MetricData[0].Counts[0]", "must be >= 0"),
                Arguments.of(input(m + "\"StatisticValues\":{\"SampleCount\":1,\"Minimum\":1,\"Maximum\":1}"),
                        "MetricData[0].StatisticValues.Sum", "is required"),
                Arguments.of(input(m + "\"StatisticValues\":{\"SampleCount\":0,\"Sum\":1,\"Minimum\":1,\"Maximum\":1}"),
                        "MetricData[0].StatisticValues.SampleCount", "must be > 0"),
                Arguments.of(input(m + "\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1,\"Minimum\":2,\"Maximum\":1}"),
                        "MetricData[0].StatisticValues.Minimum", "must not be greater than Maximum"),
                Arguments.of(input(m + "\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1e400,\"Minimum\":1,\"Maximum\":1}"),
                        "MetricData[0].StatisticValues.Sum", "must be a finite number"),
                Arguments.of(input(m + "\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1,\"Minimum\":1,\"Maximum\":1,\"Avg\":1}"),
                        "MetricData[0].StatisticValues.Avg", "is not a field of PutMetricData"),
                Arguments.of(input(m + "\"StatisticValues\":[1]"), "MetricData[0].StatisticValues", "must be an object"),
                Arguments.of(input(m + "\"Value\":1,\"Unit\":\"Cnt\""), "MetricData[0].Unit", "must be one of the CloudWatch units"),
                Arguments.of(input(m + "\"Value\":1,\"Unit\":\"count\""), "MetricData[0].Unit", "must be one of the CloudWatch units"),
                Arguments.of(input(m + "\"Value\":1,\"StorageResolution\":5"), "MetricData[0].StorageResolution",
                        "must be 1 (high resolution) or 60"),
                Arguments.of(input(m + "\"Value\":1,\"StorageResolution\":\"60\""), "MetricData[0].StorageResolution",
                        "must be a number"),
                Arguments.of(input(m + "\"Value\":1,\"Timestamp\":" + (now - 15 * 86400)), "MetricData[0].Timestamp",
                        "must be no more than 14 days in the past"),
                Arguments.of(input(m + "\"Value\":1,\"Timestamp\":" + (now + 3 * 3600) * 1000), "MetricData[0].Timestamp",
                        "must be no more than 2 hours in the future"),
                Arguments.of(input(m + "\"Value\":1,\"Timestamp\":\"yesterday\""), "MetricData[0].Timestamp",
                        "must be an ISO-8601 date-time"),
                Arguments.of(input(m + "\"Value\":1,\"Timestamp\":\"2026-11-25T13:00:00\""), "MetricData[0].Timestamp",
                        "must be an ISO-8601 date-time"),
                Arguments.of(input(m + "\"Value\":1,\"Timestamp\":true"), "MetricData[0].Timestamp",
                        "must be an ISO-8601 date-time"),
                Arguments.of(input(m + "\"Value\":1,\"Dimension\":[{\"Name\":\"h\",\"Value\":\"v\"}]"),
                        "MetricData[0].Dimension", "is not a field of PutMetricData (expected one of: MetricName, Dimensions"),
                Arguments.of(input(m + "\"Value\":1,\"Value\":2"), "MetricData[0].Value", "appears more than once"),
                Arguments.of("{\"Namespace\":\"A\",\"Namespace\":\"B\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "appears more than once"),
                Arguments.of("[]", "(body)", "must be a JSON object"),
                Arguments.of("\"text\"", "(body)", "must be a JSON object"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badInputs")
    void rejectsWithFieldPathAndRule(String body, String path, String rule) throws Exception {
        HttpResponse<String> response = gateway.postJson("/metrics", body);

        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals("ValidationError", error.path("error").asText());
        assertTrue(hasProblem(error, path, rule), "expected problem " + path + ": " + rule + " in " + response.body());
    }

    /** Strings are shared with the rules they passed: passing as a metric name must not pass a dimension value. */
    @Test
    void aTextAcceptedAsAMetricNameIsStillRefusedAsADimensionValue() throws Exception {
        HttpResponse<String> response = gateway.postJson("/metrics",
                input("\"MetricName\":\"\u65e5\u672c\",\"Value\":1,\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"\u65e5\u672c\"}]"));

        assertEquals(400, response.statusCode(), response.body());
        JsonNode error = JSON.readTree(response.body());
        assertEquals(1, error.path("problems").size(), response.body());
        assertTrue(hasProblem(error, "MetricData[0].Dimensions[0].Value", "must contain only ASCII characters"),
                response.body());
    }

    /** A gateway of its own, so that what it publishes is only this: a space inside is text, not blankness. */
    @Test
    void acceptsAndDeliversSpacesInsideAsciiTextAndAUnicodeMetricName() throws Exception {
        try (GatewayUnderTest own = GatewayUnderTest.start()) {
            HttpResponse<String> response = own.postJson("/metrics", input(
                    "\"MetricName\":\"\u65e5\u672c\",\"Value\":1,\"Dimensions\":[{\"Name\":\" City \",\"Value\":\"a b\"}]"));
            assertEquals(202, response.statusCode(), response.body());

            RecordedCall call = own.cloudWatch.takeCall(Duration.ofSeconds(10));
            assertNotNull(call, "the datum was not published");
            assertEquals(1, call.datums().size());
            assertEquals("\u65e5\u672c", call.datums().getFirst().metricName());
            assertEquals(Map.of(" City ", "a b"), call.datums().getFirst().dimensions());
        }
    }

    @Test
    void batchPathsNameTheInput() throws Exception {
        HttpResponse<String> response = gateway.postJson("/batch", "[" + input("\"MetricName\":\"m\",\"Value\":1")
                + "," + input("\"MetricName\":\"m\",\"Value\":1e400") + "]");

        assertEquals(400, response.statusCode());
        assertTrue(hasProblem(JSON.readTree(response.body()), "[1].MetricData[0].Value", "must be a finite number"),
                response.body());
    }

    @Test
    void batchMustBeANonEmptyArrayOfObjects() throws Exception {
        assertTrue(hasProblem(JSON.readTree(gateway.postJson("/batch", "[]").body()), "(body)", "at least 1"));
        assertTrue(hasProblem(JSON.readTree(gateway.postJson("/batch", input("\"MetricName\":\"m\",\"Value\":1")).body()),
                "(body)", "must be a JSON array"));
        assertTrue(hasProblem(JSON.readTree(gateway.postJson("/batch", "[1]").body()), "[0]", "must be a JSON object"));
    }

    @Test
    void everyProblemIsListedAtOnce() throws Exception {
        HttpResponse<String> response = gateway.postJson("/metrics",
                "{\"Namespace\":\"AWS/x\",\"MetricData\":[{\"MetricName\":\"\",\"Value\":1e400,\"Unit\":\"Cnt\"}]}");

        JsonNode error = JSON.readTree(response.body());
        assertEquals(4, error.path("problems").size(), response.body());
        assertEquals("4 problems", error.path("message").asText());
    }

    @Test
    void aThousandBadDatumsListAHundredProblems() throws Exception {
        HttpResponse<String> response = gateway.postJson("/metrics", datums(1000).replace("\"Value\":1", "\"Value\":1e400"));

        JsonNode error = JSON.readTree(response.body());
        assertEquals(100, error.path("problems").size());
        assertEquals("1000 problems, the first 100 listed", error.path("message").asText());
    }

    @Test
    void aRejectedRequestPublishesNothing() throws Exception {
        HttpResponse<String> rejected = gateway.postJson("/batch", "[" + input("\"MetricName\":\"good\",\"Value\":1")
                + "," + input("\"MetricName\":\"bad\",\"Value\":\"x\"") + "]");
        assertEquals(400, rejected.statusCode());
        HttpResponse<String> marker = gateway.postJson("/metrics", input("\"MetricName\":\"marker\",\"Value\":1"));
        assertEquals(202, marker.statusCode());

        RecordedCall call = gateway.cloudWatch.takeCall(Duration.ofSeconds(10));
        assertNotNull(call, "the marker was not published");
        assertEquals(List.of("marker"), call.datums().stream().map(d -> d.metricName()).toList());
        assertEquals(1, gateway.cloudWatch.calls().size());
    }

    private static boolean hasProblem(JsonNode error, String path, String rule) {
        for (JsonNode problem : error.path("problems")) {
            if (problem.path("path").asText().equals(path) && problem.path("message").asText().contains(rule)) {
                return true;
            }
        }
        return false;
    }
}
