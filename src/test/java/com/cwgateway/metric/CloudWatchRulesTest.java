package com.cwgateway.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule of shared/cloudwatch-rules.md at its edges: just inside every limit is allowed ({@code null}), just
 * outside is refused with the message a client reads.
 */
class CloudWatchRulesTest {

    private static final String LENGTH_255 = "must be 1 to 255 characters long, is ";
    private static final String NOT_BLANK = "must contain at least one non-whitespace character";
    private static final String FINITE = "must be a finite number";
    private static final String MAGNITUDE = "must be 0 or have a magnitude between 8.51592E-109 and 1.174271E108";
    private static final String RESOLUTION = "must be 1 (high resolution) or 60 (standard)";
    private static final long NOW = 1_772_366_400_000L;

    /** Copied from the rules file, in its order. */
    private static final List<String> UNITS = List.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private static Arguments rule(String what, Supplier<String> check, String expected) {
        return Arguments.of(what, check, expected);
    }

    static Stream<Arguments> rules() {
        double min = CloudWatchRules.MIN_MAGNITUDE;
        double max = CloudWatchRules.MAX_MAGNITUDE;
        long maxAge = Duration.ofDays(14).minusMinutes(10).toMillis();
        long maxAhead = Duration.ofHours(2).toMillis();
        return Stream.of(
                rule("namespace of 1", () -> CloudWatchRules.namespace("a"), null),
                rule("namespace of 255", () -> CloudWatchRules.namespace("n".repeat(255)), null),
                rule("namespace of 256", () -> CloudWatchRules.namespace("n".repeat(256)), LENGTH_255 + 256),
                rule("empty namespace", () -> CloudWatchRules.namespace(""), LENGTH_255 + 0),
                rule("namespace ':x'", () -> CloudWatchRules.namespace(":x"), "must not start with ':'"),
                rule("namespace 'x:'", () -> CloudWatchRules.namespace("x:"), null),
                rule("namespace 'AWS/EC2'", () -> CloudWatchRules.namespace("AWS/EC2"),
                        "must not start with 'AWS/' (reserved for AWS services)"),
                rule("namespace 'AWSome/x'", () -> CloudWatchRules.namespace("AWSome/x"), null),
                rule("namespace with U+001F", () -> CloudWatchRules.namespace("a\u001Fb"),
                        "must not contain control characters, has U+001F at index 1"),
                rule("namespace with DEL", () -> CloudWatchRules.namespace("a\u007F"),
                        "must not contain control characters, has U+007F at index 1"),
                rule("namespace of ' ' and '~'", () -> CloudWatchRules.namespace(" ~"), null),
                rule("namespace with U+0080", () -> CloudWatchRules.namespace("\u0080"),
                        "must contain only ASCII characters, has U+0080 at index 0"),

                rule("metric name of 255", () -> CloudWatchRules.metricName("m".repeat(255)), null),
                rule("metric name of 256", () -> CloudWatchRules.metricName("m".repeat(256)), LENGTH_255 + 256),
                rule("empty metric name", () -> CloudWatchRules.metricName(""), LENGTH_255 + 0),
                rule("metric name in Unicode", () -> CloudWatchRules.metricName("Größe \uD83D\uDE80"), null),
                rule("metric name ending in a high surrogate", () -> CloudWatchRules.metricName("m\uD83D"),
                        "must be valid Unicode text (has an unpaired surrogate)"),
                rule("metric name with a lone low surrogate", () -> CloudWatchRules.metricName("\uDE80m"),
                        "must be valid Unicode text (has an unpaired surrogate)"),

                rule("dimension name of 255", () -> CloudWatchRules.dimensionName("d".repeat(255)), null),
                rule("dimension name of 256", () -> CloudWatchRules.dimensionName("d".repeat(256)), LENGTH_255 + 256),
                rule("empty dimension name", () -> CloudWatchRules.dimensionName(""), LENGTH_255 + 0),
                rule("dimension name ':h'", () -> CloudWatchRules.dimensionName(":h"), "must not start with ':'"),
                rule("blank dimension name", () -> CloudWatchRules.dimensionName("  "), NOT_BLANK),
                rule("dimension name ' h '", () -> CloudWatchRules.dimensionName(" h "), null),
                rule("dimension name with an emoji", () -> CloudWatchRules.dimensionName("h\uD83D\uDE80"),
                        "must contain only ASCII characters, has U+1F680 at index 1"),

                rule("dimension value of 1024", () -> CloudWatchRules.dimensionValue("v".repeat(1024)), null),
                rule("dimension value of 1025", () -> CloudWatchRules.dimensionValue("v".repeat(1025)),
                        "must be 1 to 1024 characters long, is 1025"),
                rule("empty dimension value", () -> CloudWatchRules.dimensionValue(""),
                        "must be 1 to 1024 characters long, is 0"),
                rule("dimension value ':v'", () -> CloudWatchRules.dimensionValue(":v"), null),
                rule("blank dimension value", () -> CloudWatchRules.dimensionValue(" "), NOT_BLANK),
                rule("dimension value with a tab", () -> CloudWatchRules.dimensionValue("a\tb"),
                        "must not contain control characters, has U+0009 at index 1"),
                rule("dimension value 'Zürich'", () -> CloudWatchRules.dimensionValue("Zürich"),
                        "must contain only ASCII characters, has U+00FC at index 1"),

                rule("no dimensions", () -> CloudWatchRules.dimensionCount(0), null),
                rule("30 dimensions", () -> CloudWatchRules.dimensionCount(30), null),
                rule("31 dimensions", () -> CloudWatchRules.dimensionCount(31), "must have at most 30 dimensions, has 31"),

                rule("no datum", () -> CloudWatchRules.datumCount(0), "must contain at least 1 datum"),
                rule("1 datum", () -> CloudWatchRules.datumCount(1), null),
                rule("1000 datums", () -> CloudWatchRules.datumCount(1000), null),
                rule("1001 datums", () -> CloudWatchRules.datumCount(1001), "must contain at most 1000 datums, has 1001"),

                rule("no values", () -> CloudWatchRules.valueCount(0), "must have 1 to 150 items, has 0"),
                rule("1 value", () -> CloudWatchRules.valueCount(1), null),
                rule("150 values", () -> CloudWatchRules.valueCount(150), null),
                rule("151 values", () -> CloudWatchRules.valueCount(151), "must have 1 to 150 items, has 151"),

                rule("value 0", () -> CloudWatchRules.value(0), null),
                rule("value -0", () -> CloudWatchRules.value(-0.0), null),
                rule("value at the least magnitude", () -> CloudWatchRules.value(min), null),
                rule("value at minus the least magnitude", () -> CloudWatchRules.value(-min), null),
                rule("value just under the least magnitude", () -> CloudWatchRules.value(Math.nextDown(min)), MAGNITUDE),
                rule("smallest double", () -> CloudWatchRules.value(Double.MIN_VALUE), MAGNITUDE),
                rule("value at the greatest magnitude", () -> CloudWatchRules.value(max), null),
                rule("value at minus the greatest magnitude", () -> CloudWatchRules.value(-max), null),
                rule("value just over the greatest magnitude", () -> CloudWatchRules.value(Math.nextUp(max)), MAGNITUDE),
                rule("value just under minus the greatest", () -> CloudWatchRules.value(-Math.nextUp(max)), MAGNITUDE),
                rule("value NaN", () -> CloudWatchRules.value(Double.NaN), FINITE),
                rule("value Infinity", () -> CloudWatchRules.value(Double.POSITIVE_INFINITY), FINITE),
                rule("value -Infinity", () -> CloudWatchRules.value(Double.NEGATIVE_INFINITY), FINITE),

                rule("count 0", () -> CloudWatchRules.count(0), null),
                rule("count at the greatest magnitude", () -> CloudWatchRules.count(max), null),
                rule("count of minus the least magnitude", () -> CloudWatchRules.count(-min), "must be >= 0"),
                rule("count just under the least magnitude", () -> CloudWatchRules.count(Math.nextDown(min)), MAGNITUDE),
                rule("count NaN", () -> CloudWatchRules.count(Double.NaN), FINITE),

                rule("sample count 0", () -> CloudWatchRules.sampleCount(0), "must be > 0"),
                rule("sample count -1", () -> CloudWatchRules.sampleCount(-1), "must be > 0"),
                rule("sample count of the least magnitude", () -> CloudWatchRules.sampleCount(min), null),
                rule("sample count of the greatest magnitude", () -> CloudWatchRules.sampleCount(max), null),
                rule("sample count just over it", () -> CloudWatchRules.sampleCount(Math.nextUp(max)), MAGNITUDE),
                rule("sample count Infinity", () -> CloudWatchRules.sampleCount(Double.POSITIVE_INFINITY), FINITE),

                rule("storage resolution 1", () -> CloudWatchRules.storageResolution(1), null),
                rule("storage resolution 60", () -> CloudWatchRules.storageResolution(60), null),
                rule("storage resolution 0", () -> CloudWatchRules.storageResolution(0), RESOLUTION),
                rule("storage resolution 2", () -> CloudWatchRules.storageResolution(2), RESOLUTION),
                rule("storage resolution 59", () -> CloudWatchRules.storageResolution(59), RESOLUTION),
                rule("storage resolution 61", () -> CloudWatchRules.storageResolution(61), RESOLUTION),
                rule("storage resolution just over 1", () -> CloudWatchRules.storageResolution(Math.nextUp(1.0)),
                        RESOLUTION),
                rule("storage resolution NaN", () -> CloudWatchRules.storageResolution(Double.NaN), RESOLUTION),

                rule("timestamp now", () -> CloudWatchRules.timestamp(NOW, NOW), null),
                rule("timestamp 14 days less 10 minutes back", () -> CloudWatchRules.timestamp(NOW - maxAge, NOW), null),
                rule("timestamp a millisecond older", () -> CloudWatchRules.timestamp(NOW - maxAge - 1, NOW),
                        "must be no more than 14 days in the past (CloudWatch rejects older data; the gateway keeps "
                                + "10 minutes in hand to deliver it)"),
                rule("timestamp 2 hours ahead", () -> CloudWatchRules.timestamp(NOW + maxAhead, NOW), null),
                rule("timestamp a millisecond further", () -> CloudWatchRules.timestamp(NOW + maxAhead + 1, NOW),
                        "must be no more than 2 hours in the future"),

                rule("unit 'count'", () -> CloudWatchRules.unit("count"), unitMessage()),
                rule("unit 'Bytes/second'", () -> CloudWatchRules.unit("Bytes/second"), unitMessage()),
                rule("empty unit", () -> CloudWatchRules.unit(""), unitMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachLimitAtItsEdge(String what, Supplier<String> check, String expected) {
        assertEquals(expected, check.get(), what);
    }

    @Test
    void everyUnitOfTheRulesIsAllowedAndListedInTheirOrder() {
        for (String unit : UNITS) {
            assertNull(CloudWatchRules.unit(unit), unit);
        }
        assertEquals(UNITS, CloudWatchRules.UNITS);
    }

    @Test
    void theLimitsAreTheRulesFiles() {
        assertEquals(1000, CloudWatchRules.MAX_DATUMS_PER_REQUEST);
        assertEquals(255, CloudWatchRules.MAX_NAME_LENGTH);
        assertEquals(30, CloudWatchRules.MAX_DIMENSIONS);
        assertEquals(1024, CloudWatchRules.MAX_DIMENSION_VALUE_LENGTH);
        assertEquals(150, CloudWatchRules.MAX_VALUES);
        assertEquals(8.515920e-109, CloudWatchRules.MIN_MAGNITUDE);
        assertEquals(1.174271e+108, CloudWatchRules.MAX_MAGNITUDE);
        assertEquals(Duration.ofDays(14), CloudWatchRules.CLOUDWATCH_MAX_AGE);
        assertEquals(Duration.ofDays(14).minusMinutes(10), CloudWatchRules.MAX_AGE);
        assertEquals(Duration.ofHours(2), CloudWatchRules.MAX_AHEAD);
    }

    private static String unitMessage() {
        return "must be one of the CloudWatch units (" + String.join(", ", UNITS) + ")";
    }
}
