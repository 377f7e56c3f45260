package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reader on its own, against a fixed clock, one row per rule of shared/cloudwatch-rules.md: each row is a
 * body and either "accepted" or the one problem it must report, field path and rule text exactly as the
 * gateway writes them. Limits are tried at the limit and one past it.
 */
@Timeout(60)
class PutMetricDataReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T13:00:00Z");
    private static final long NOW_MILLIS = NOW.toEpochMilli();
    private static final PutMetricDataReader READER = new PutMetricDataReader(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String OLDEST = "must be no more than 14 days in the past (CloudWatch rejects older data; "
            + "the gateway keeps 10 minutes in hand to deliver it)";
    private static final String MAGNITUDE = "must be 0 or have a magnitude between 8.51592E-109 and 1.174271E108";

    /** One MetricDatum's fields in a valid input. */
    private static String datum(String fields) {
        return "{\"Namespace\":\"App\",\"MetricData\":[{" + fields + "}]}";
    }

    /** A valid datum with {@code fields} besides its name and value. */
    private static String value1(String fields) {
        return datum("\"MetricName\":\"m\",\"Value\":1," + fields);
    }

    private static String namespace(String namespace) {
        return "{\"Namespace\":\"" + namespace + "\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}";
    }

    private static String oneDimension(String name, String value) {
        return value1("\"Dimensions\":[{\"Name\":\"" + name + "\",\"Value\":\"" + value + "\"}]");
    }

    /** {@code count} comma-separated items made by {@code item} from their index. */
    private static String list(int count, java.util.function.IntFunction<String> item) {
        return IntStream.range(0, count).mapToObj(item).collect(Collectors.joining(","));
    }

    private static String datums(int count) {
        return "{\"Namespace\":\"App\",\"MetricData\":[" + list(count, i -> "{\"MetricName\":\"m" + i + "\",\"Value\":1}")
                + "]}";
    }

    private static String dimensions(int count) {
        return value1("\"Dimensions\":[" + list(count, i -> "{\"Name\":\"d" + i + "\",\"Value\":\"v\"}") + "]");
    }

    private static String values(int count) {
        return datum("\"MetricName\":\"m\",\"Values\":[" + list(count, i -> Integer.toString(i)) + "]");
    }

    private static String timestamp(Duration fromNow) {
        return value1("\"Timestamp\":" + (NOW_MILLIS + fromNow.toMillis()));
    }

    private static String statistics(String sampleCount, String sum, String minimum, String maximum) {
        return datum("\"MetricName\":\"m\",\"StatisticValues\":{\"SampleCount\":" + sampleCount + ",\"Sum\":" + sum
                + ",\"Minimum\":" + minimum + ",\"Maximum\":" + maximum + "}");
    }

    private static Arguments accepted(String rule, String body) {
        return Arguments.of(rule, body, null, null);
    }

    private static Arguments refused(String rule, String body, String path, String message) {
        return Arguments.of(rule, body, path, message);
    }

    static Stream<Arguments> rows() {
        String n255 = "n".repeat(255);
        Duration maxAge = CloudWatchRules.MAX_AGE;
        Duration maxAhead = CloudWatchRules.MAX_AHEAD;
        return Stream.of(
                // One request
                accepted("1000 datums", datums(1000)),
                refused("1001 datums", datums(1001), "MetricData", "must contain at most 1000 datums, has 1001"),
                refused("no datum", datum("").replace("[{}]", "[]"), "MetricData", "must contain at least 1 datum"),
                refused("MetricData missing", "{\"Namespace\":\"App\"}", "MetricData", "is required"),
                refused("MetricData not an array", "{\"Namespace\":\"App\",\"MetricData\":{}}", "MetricData",
                        "must be an array of MetricDatum objects"),
                refused("a datum not an object", "{\"Namespace\":\"App\",\"MetricData\":[1]}", "MetricData[0]",
                        "must be a MetricDatum object"),
                refused("EntityMetricData", "{\"Namespace\":\"App\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}],"
                        + "\"EntityMetricData\":[]}", "EntityMetricData",
                        "is not supported: this gateway forwards MetricData only"),
                refused("an unknown field", "{\"Namespace\":\"App\",\"Region\":\"x\",\"MetricData\":[{\"MetricName\":\"m\","
                        + "\"Value\":1}]}", "Region", "is not a field of PutMetricData (expected one of: Namespace, MetricData)"),
                refused("a body that is no object", "[]", "(body)", "must be a JSON object (a PutMetricData input)"),
                // Namespace
                accepted("namespace of 1 character", namespace("N")),
                accepted("namespace of 255 characters", namespace(n255)),
                refused("namespace of 256 characters", namespace(n255 + "n"), "Namespace",
                        "must be 1 to 255 characters long, is 256"),
                refused("empty namespace", namespace(""), "Namespace", "must be 1 to 255 characters long, is 0"),
                refused("namespace missing", "{\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}", "Namespace",
                        "is required"),
                refused("namespace starting with ':'", namespace(":App"), "Namespace", "must not start with ':'"),
                refused("namespace reserved for AWS", namespace("AWS/EC2"), "Namespace",
                        "must not start with 'AWS/' (reserved for AWS services)"),
                refused("namespace beyond ASCII", namespace("Caf\u00e9"), "Namespace",
                        "must contain only ASCII characters, has U+00E9 at index 3"),
                refused("namespace with a control character", namespace("A\\u007fB"), "Namespace",
                        "must not contain control characters, has U+007F at index 1"),
                accepted("namespace of spaces (the not-blank rule is for dimensions)", namespace("  ")),
                refused("namespace not a string", "{\"Namespace\":1,\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}",
                        "Namespace", "must be a string"),
                // MetricName
                accepted("metric name of 255 characters", datum("\"MetricName\":\"" + n255 + "\",\"Value\":1")),
                refused("metric name of 256 characters", datum("\"MetricName\":\"" + n255 + "m\",\"Value\":1"),
                        "MetricData[0].MetricName", "must be 1 to 255 characters long, is 256"),
                refused("empty metric name", datum("\"MetricName\":\"\",\"Value\":1"), "MetricData[0].MetricName",
                        "must be 1 to 255 characters long, is 0"),
                refused("metric name missing", datum("\"Value\":1"), "MetricData[0].MetricName", "is required"),
                accepted("metric name beyond ASCII", datum("\"MetricName\":\"Stra\u00dfe \uD83D\uDE00\",\"Value\":1")),
                refused("metric name with an unpaired surrogate", datum("\"MetricName\":\"m\\ud800\",\"Value\":1"),
                        "MetricData[0].MetricName", "must be valid Unicode text (has an unpaired surrogate)"),
                // Dimensions
                accepted("30 dimensions", dimensions(30)),
                refused("31 dimensions", dimensions(31), "MetricData[0].Dimensions", "must have at most 30 dimensions, has 31"),
                accepted("dimension name of 255 characters", oneDimension(n255, "v")),
                refused("dimension name of 256 characters", oneDimension(n255 + "n", "v"),
                        "MetricData[0].Dimensions[0].Name", "must be 1 to 255 characters long, is 256"),
                refused("empty dimension name", oneDimension("", "v"), "MetricData[0].Dimensions[0].Name",
                        "must be 1 to 255 characters long, is 0"),
                accepted("dimension value of 1024 characters", oneDimension("h", "v".repeat(1024))),
                refused("dimension value of 1025 characters", oneDimension("h", "v".repeat(1025)),
                        "MetricData[0].Dimensions[0].Value", "must be 1 to 1024 characters long, is 1025"),
                refused("empty dimension value", oneDimension("h", ""), "MetricData[0].Dimensions[0].Value",
                        "must be 1 to 1024 characters long, is 0"),
                refused("dimension name starting with ':'", oneDimension(":h", "v"), "MetricData[0].Dimensions[0].Name",
                        "must not start with ':'"),
                refused("blank dimension name", oneDimension(" ", "v"), "MetricData[0].Dimensions[0].Name",
                        "must contain at least one non-whitespace character"),
                refused("blank dimension value", oneDimension("h", "  "), "MetricData[0].Dimensions[0].Value",
                        "must contain at least one non-whitespace character"),
                accepted("spaces inside a dimension", oneDimension(" a b ", " c ")),
                refused("dimension value beyond ASCII", oneDimension("h", "M\u00fcnchen"),
                        "MetricData[0].Dimensions[0].Value", "must contain only ASCII characters, has U+00FC at index 1"),
                refused("dimension value with a tab", oneDimension("h", "a\\tb"), "MetricData[0].Dimensions[0].Value",
                        "must not contain control characters, has U+0009 at index 1"),
                refused("dimension name repeated", value1("\"Dimensions\":[{\"Name\":\"h\",\"Value\":\"a\"},"
                        + "{\"Name\":\"h\",\"Value\":\"b\"}]"), "MetricData[0].Dimensions[1].Name",
                        "repeats the name of another dimension ('h'); names must be unique within a datum"),
                refused("dimension without a value", value1("\"Dimensions\":[{\"Name\":\"h\"}]"),
                        "MetricData[0].Dimensions[0].Value", "is required"),
                // The value form
                refused("no value form", datum("\"MetricName\":\"m\""), "MetricData[0]",
                        "must have one of Value, Values or StatisticValues"),
                refused("Value and Values", datum("\"MetricName\":\"m\",\"Value\":1,\"Values\":[1]"), "MetricData[0]",
                        "must have only one of Value, Values and StatisticValues, has Value and Values"),
                refused("Values and StatisticValues", datum("\"MetricName\":\"m\",\"Values\":[1],\"StatisticValues\":"
                        + "{\"SampleCount\":1,\"Sum\":1,\"Minimum\":1,\"Maximum\":1}"), "MetricData[0]",
                        "must have only one of Value, Values and StatisticValues, has Values and StatisticValues"),
                accepted("a null form beside a real one", datum("\"MetricName\":\"m\",\"Value\":1,\"Values\":null")),
                // Value
                accepted("Value 0", datum("\"MetricName\":\"m\",\"Value\":0")),
                accepted("Value -0.0", datum("\"MetricName\":\"m\",\"Value\":-0.0")),
                accepted("Value at the largest magnitude", datum("\"MetricName\":\"m\",\"Value\":-1.174271e108")),
                refused("Value past the largest magnitude", datum("\"MetricName\":\"m\",\"Value\":1.174272e108"),
                        "MetricData[0].Value", MAGNITUDE),
                accepted("Value at the smallest magnitude", datum("\"MetricName\":\"m\",\"Value\":8.515920e-109")),
                refused("Value below the smallest magnitude", datum("\"MetricName\":\"m\",\"Value\":8.51591e-109"),
                        "MetricData[0].Value", MAGNITUDE),
                refused("Value overflowing to Infinity", datum("\"MetricName\":\"m\",\"Value\":-1e400"),
                        "MetricData[0].Value", "must be a finite number"),
                refused("Value a string", datum("\"MetricName\":\"m\",\"Value\":\"1\""), "MetricData[0].Value",
                        "must be a number"),
                // Values and Counts
                accepted("1 value", values(1)),
                accepted("150 values", values(150)),
                refused("151 values", values(151), "MetricData[0].Values", "must have 1 to 150 items, has 151"),
                refused("no values", values(0), "MetricData[0].Values", "must have 1 to 150 items, has 0"),
                refused("a value overflowing", datum("\"MetricName\":\"m\",\"Values\":[1,1e999]"),
                        "MetricData[0].Values[1]", "must be a finite number"),
                refused("a value not a number", datum("\"MetricName\":\"m\",\"Values\":[1,null]"),
                        "MetricData[0].Values[1]", "must be a number"),
                accepted("counts of 0 and fractions", datum("\"MetricName\":\"m\",\"Values\":[1,2],\"Counts\":[0,0.5]")),
                refused("a negative count", datum("\"MetricName\":\"m\",\"Values\":[1,2],\"Counts\":[1,-1]"),
                        "MetricData[0].Counts[1]", "must be >= 0"),
                refused("fewer counts than values", datum("\"MetricName\":\"m\",\"Values\":[1,2],\"Counts\":[1]"),
                        "MetricData[0].Counts", "must have as many items as Values (2), has 1"),
                refused("Counts without Values", value1("\"Counts\":[1]"), "MetricData[0].Counts",
                        "is only allowed together with Values"),
                // StatisticValues
                accepted("statistics with Minimum equal to Maximum", statistics("1", "2", "2", "2")),
                refused("statistics with Minimum above Maximum", statistics("2", "5", "3", "2"),
                        "MetricData[0].StatisticValues.Minimum", "must not be greater than Maximum"),
                refused("SampleCount 0", statistics("0", "0", "0", "0"), "MetricData[0].StatisticValues.SampleCount",
                        "must be > 0"),
                refused("SampleCount negative", statistics("-1", "0", "0", "0"),
                        "MetricData[0].StatisticValues.SampleCount", "must be > 0"),
                refused("Sum overflowing", statistics("1", "1e400", "0", "0"), "MetricData[0].StatisticValues.Sum",
                        "must be a finite number"),
                refused("Maximum missing", datum("\"MetricName\":\"m\",\"StatisticValues\":{\"SampleCount\":1,\"Sum\":1,"
                        + "\"Minimum\":1}"), "MetricData[0].StatisticValues.Maximum", "is required"),
                // Unit and StorageResolution
                refused("a unit in the wrong case", value1("\"Unit\":\"count\""), "MetricData[0].Unit",
                        "must be one of the CloudWatch units (Seconds, Microseconds, Milliseconds, Bytes, Kilobytes, "
                                + "Megabytes, Gigabytes, Terabytes, Bits, Kilobits, Megabits, Gigabits, Terabits, "
                                + "Percent, Count, Bytes/Second, Kilobytes/Second, Megabytes/Second, Gigabytes/Second, "
                                + "Terabytes/Second, Bits/Second, Kilobits/Second, Megabits/Second, Gigabits/Second, "
                                + "Terabits/Second, Count/Second, None)"),
                accepted("StorageResolution 1", value1("\"StorageResolution\":1")),
                accepted("StorageResolution 60.0", value1("\"StorageResolution\":60.0")),
                refused("StorageResolution 30", value1("\"StorageResolution\":30"), "MetricData[0].StorageResolution",
                        "must be 1 (high resolution) or 60 (standard)"),
                refused("StorageResolution as text", value1("\"StorageResolution\":\"1\""),
                        "MetricData[0].StorageResolution", "must be a number"),
                // Timestamp: the gateway's window, CloudWatch's less 10 minutes, to the millisecond
                accepted("the oldest timestamp accepted", timestamp(maxAge.negated())),
                refused("a millisecond older", timestamp(maxAge.negated().minusMillis(1)), "MetricData[0].Timestamp", OLDEST),
                refused("older than the gateway accepts, though CloudWatch would", timestamp(Duration.ofDays(-14)
                        .plusMinutes(5)), "MetricData[0].Timestamp", OLDEST),
                accepted("the latest timestamp accepted", timestamp(maxAhead)),
                refused("a millisecond later", timestamp(maxAhead.plusMillis(1)), "MetricData[0].Timestamp",
                        "must be no more than 2 hours in the future"),
                accepted("epoch seconds with a fraction", value1("\"Timestamp\":" + (NOW_MILLIS / 1000 - 60) + ".5")),
                accepted("an ISO date-time with an offset", value1("\"Timestamp\":\"2026-11-25T14:00:00+02:00\"")),
                refused("an ISO date-time without a zone", value1("\"Timestamp\":\"2026-11-25T13:00:00\""),
                        "MetricData[0].Timestamp", "must be an ISO-8601 date-time such as 2026-11-25T13:00:00.000Z, "
                                + "or a number of epoch seconds or epoch milliseconds"),
                refused("a negative epoch", value1("\"Timestamp\":-1"), "MetricData[0].Timestamp",
                        "must be an ISO-8601 date-time such as 2026-11-25T13:00:00.000Z, "
                                + "or a number of epoch seconds or epoch milliseconds"),
                // Fields
                refused("a field twice", datum("\"MetricName\":\"m\",\"Value\":1,\"MetricName\":\"n\""),
                        "MetricData[0].MetricName", "appears more than once"),
                refused("an unknown datum field", value1("\"Region\":\"x\""), "MetricData[0].Region",
                        "is not a field of PutMetricData (expected one of: MetricName, Dimensions, Value, Values, "
                                + "Counts, StatisticValues, Unit, StorageResolution, Timestamp)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void followsTheRule(String rule, String body, String path, String message) {
        if (path == null) {
            PutMetricDataInput batch = read(body);
            assertTrue(!batch.datums().isEmpty(), rule);
            return;
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> readOrRefuse(body), rule);
        assertEquals("ValidationError", e.error());
        assertEquals(List.of(new Problem(path, message)), e.problems());
        assertEquals("1 problem", e.getMessage());
    }

    @Test
    void everyCloudWatchUnitIsAccepted() throws Exception {
        for (String unit : CloudWatchRules.UNITS) {
            assertEquals(unit, read(value1("\"Unit\":\"" + unit + "\"")).datums().getFirst().unit());
        }
        assertEquals(27, CloudWatchRules.UNITS.size(), "the units of cloudwatch-rules.md");
    }

    @Test
    void readsEveryFieldIntoTheDatumWithDimensionsInNameOrder() {
        PutMetricDataInput batch = read(datum("\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"z\",\"Value\":\"1\"},"
                + "{\"Name\":\"a\",\"Value\":\"2\"}],\"Values\":[1.5,2],\"Counts\":[3,1],\"Unit\":\"Milliseconds\","
                + "\"StorageResolution\":1,\"Timestamp\":\"2026-11-25T12:59:00.250Z\""));

        Datum datum = batch.datums().getFirst();
        assertEquals("App", batch.namespace());
        assertEquals("Latency", datum.metricName());
        assertEquals(List.of(new Dimension("a", "2"), new Dimension("z", "1")), datum.dimensions());
        MetricValue.Distribution values = (MetricValue.Distribution) datum.value();
        assertEquals(List.of(1.5, 2.0), List.of(values.values()[0], values.values()[1]));
        assertEquals(List.of(3.0, 1.0), List.of(values.counts()[0], values.counts()[1]));
        assertEquals("Milliseconds", datum.unit());
        assertEquals(1, datum.storageResolution());
        assertEquals(NOW_MILLIS - 59_750, datum.timestampMillis());
        assertEquals(2, datum.points());
    }

    @Test
    void aDatumWithoutTimestampIsStampedWithTheTimeOfReading() {
        Datum datum = read(datum("\"MetricName\":\"m\",\"Value\":1")).datums().getFirst();

        assertEquals(NOW_MILLIS, datum.timestampMillis());
        assertEquals(null, datum.unit());
        assertEquals(null, datum.storageResolution());
    }

    @Test
    void epochSecondsAndEpochMillisecondsReadAsTheSameInstant() {
        long seconds = NOW_MILLIS / 1000 - 3600;

        assertEquals(read(value1("\"Timestamp\":" + seconds)).datums().getFirst().timestampMillis(),
                read(value1("\"Timestamp\":" + seconds * 1000)).datums().getFirst().timestampMillis());
    }

    @Test
    void dataAcceptedEarlierIsReadWhateverItsAgeNow() throws Exception {
        String old = timestamp(Duration.ofDays(-30));
        byte[] bytes = old.getBytes(StandardCharsets.UTF_8);

        Datum datum = PutMetricDataReader.forAcceptedData(Clock.fixed(NOW, ZoneOffset.UTC)).readInput(bytes, bytes.length)
                .datums().getFirst();

        assertEquals(NOW_MILLIS - Duration.ofDays(30).toMillis(), datum.timestampMillis());
        assertThrows(InvalidInputException.class, () -> READER.readInput(bytes, bytes.length));
    }

    @Test
    void nanAndInfinityAreNotJson() {
        for (String literal : List.of("NaN", "Infinity", "-Infinity")) {
            byte[] bytes = datum("\"MetricName\":\"m\",\"Value\":" + literal).getBytes(StandardCharsets.UTF_8);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> READER.readInput(bytes, bytes.length));
            assertEquals("InvalidJson", e.error(), literal);
            assertEquals(List.of(), e.problems());
            assertTrue(e.getMessage().contains("JSON has no NaN or Infinity") && !e.getMessage().contains("Feature"),
                    e.getMessage());
        }
    }

    @Test
    void aBatchNamesEachInputByItsPlaceAndIsRefusedWhole() {
        byte[] bytes = ("[" + value1("\"Unit\":\"Count\"") + "," + value1("\"Unit\":\"Cnt\"") + "]")
                .getBytes(StandardCharsets.UTF_8);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> READER.readBatch(bytes, bytes.length));

        assertEquals(1, e.problems().size());
        assertEquals("[1].MetricData[0].Unit", e.problems().getFirst().path());
    }

    @Test
    void everyProblemIsCountedAndTheFirstHundredListed() {
        String bad = datums(150).replace("\"Value\":1", "\"Value\":1e999");
        byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> READER.readInput(bytes, bytes.length));

        assertEquals(PutMetricDataReader.MAX_PROBLEMS_LISTED, e.problems().size());
        assertEquals("150 problems, the first 100 listed", e.getMessage());
        assertEquals("MetricData[99].Value", e.problems().getLast().path());
    }

    @Test
    void onlyTheFirstLengthBytesAreRead() throws Exception {
        byte[] body = (value1("\"Unit\":\"Count\"") + "garbage").getBytes(StandardCharsets.UTF_8);

        assertEquals(1, READER.readInput(body, body.length - "garbage".length()).datums().size());
        assertEquals("InvalidJson", assertThrows(InvalidInputException.class,
                () -> READER.readInput(body, body.length)).error());
    }

    private static PutMetricDataInput readOrRefuse(String body) throws InvalidInputException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return READER.readInput(bytes, bytes.length);
    }

    /** The body, which must be accepted. */
    private static PutMetricDataInput read(String body) {
        try {
            return readOrRefuse(body);
        } catch (InvalidInputException e) {
            throw new AssertionError(e.getMessage() + ": " + e.problems(), e);
        }
    }
}
