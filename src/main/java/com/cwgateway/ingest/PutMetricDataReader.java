package com.cwgateway.ingest;

import com.cwgateway.ingest.RepeatedStrings.Rule;
import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads PutMetricData input JSON (one object, or an array of them) with Jackson's streaming parser straight into
 * validated {@link PutMetricDataInput}s. Every problem is collected with its field path, so one answer tells the
 * client all that is wrong; any problem rejects the whole body.
 */
public final class PutMetricDataReader {

    /** Enough to name what is wrong in any real request while keeping the error body small. */
    static final int MAX_PROBLEMS_LISTED = 100;

    private static final JsonFactory JSON = JsonFactory.builder()
            // A PutMetricData input is 4 levels deep; a hostile body must not cost deep recursion.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            // Numbers are most of a body: the fast parser reads them several times quicker, to the same double.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private final Clock clock;
    private final boolean checkAge;
    private final RepeatedStrings strings = new RepeatedStrings();
    private final RepeatedDimensions dimensionSets = new RepeatedDimensions();

    /** A reader for clients' requests: every rule, the timestamp window against {@code clock} included. */
    public PutMetricDataReader(Clock clock) {
        this(clock, true);
    }

    private PutMetricDataReader(Clock clock, boolean checkAge) {
        this.clock = clock;
        this.checkAge = checkAge;
    }

    /**
     * A reader for data the gateway accepted earlier (its spool): every rule but the timestamp window, since
     * the data may have aged while stored; what is too old by now is dropped and counted when published.
     */
    public static PutMetricDataReader forAcceptedData(Clock clock) {
        return new PutMetricDataReader(clock, false);
    }

    /** The body of {@code POST /metrics}, the first {@code length} bytes of {@code body}: one PutMetricData input. */
    public PutMetricDataInput readInput(byte[] body, int length) throws InvalidInputException {
        return read(body, length, false).getFirst();
    }

    /** The body of {@code POST /batch}, the first {@code length} bytes of {@code body}: an array of inputs. */
    public List<PutMetricDataInput> readBatch(byte[] body, int length) throws InvalidInputException {
        return read(body, length, true);
    }

    private List<PutMetricDataInput> read(byte[] body, int length, boolean batch) throws InvalidInputException {
        try (JsonParser parser = JSON.createParser(body, 0, length)) {
            if (parser.nextToken() == null) {
                throw invalidJson("the body is empty", null);
            }
            Reading reading = new Reading(parser, strings, dimensionSets, clock.millis(), checkAge);
            List<PutMetricDataInput> inputs = batch ? reading.batch() : List.of(reading.input(reading.body));
            if (parser.nextToken() != null) {
                throw invalidJson("unexpected content after the JSON value", parser.currentLocation());
            }
            reading.throwIfProblems();
            return inputs;
        } catch (StreamConstraintsException e) {
            // Jackson's own wording names its classes; say which limit in the gateway's words instead.
            throw invalidJson("it passes the parser's limits (nesting deeper than 32 levels, a name longer than "
                    + "50,000 characters, a number longer than 1,000 digits, or a string longer than 20,000,000 "
                    + "characters)", e.getLocation());
        } catch (JsonProcessingException e) {
            throw invalidJson(inOurWords(e.getOriginalMessage()), e.getLocation());
        } catch (IOException e) {
            throw invalidJson(e.getMessage(), null);
        }
    }

    /** Jackson's message without its advice to enable a parser feature, which means nothing to a client. */
    static String inOurWords(String message) {
        String text = LIBRARY_ADVICE.matcher(message).replaceAll("");
        if (text.contains("Feature") || text.contains("`") || text.contains("Json") || text.contains("jackson")) {
            return "a token JSON does not allow (numbers are finite and written in plain decimal, strings take "
                    + "double quotes, there are no comments)";
        }
        return text.startsWith("Non-standard token") ? text + " (JSON has no NaN or Infinity: send finite numbers)"
                : text;
    }

    /** The parts of Jackson's messages that name its features. */
    private static final Pattern LIBRARY_ADVICE = Pattern.compile(":? ?(enable|use) `[^`]*`( to allow)?"
            + "|\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)");

    private static InvalidInputException invalidJson(String message, JsonLocation location) {
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return new InvalidInputException("InvalidJson", "body is not valid JSON: " + message + where, List.of());
    }

    /** The state of reading one body: the parser, the time it is read at, the problems found. */
    private static final class Reading {

        // Fields of one JSON object, as bits: which were seen, and which of those were null.
        private static final int NAMESPACE = 1;
        private static final int METRIC_DATA = 1 << 1;
        private static final int METRIC_NAME = 1 << 2;
        private static final int DIMENSIONS = 1 << 3;
        private static final int VALUE = 1 << 4;
        private static final int VALUES = 1 << 5;
        private static final int COUNTS = 1 << 6;
        private static final int STATISTIC_VALUES = 1 << 7;
        private static final int UNIT = 1 << 8;
        private static final int STORAGE_RESOLUTION = 1 << 9;
        private static final int TIMESTAMP = 1 << 10;
        private static final int NAME = 1 << 11;
        private static final int SAMPLE_COUNT = 1 << 12;
        private static final int SUM = 1 << 13;
        private static final int MINIMUM = 1 << 14;
        private static final int MAXIMUM = 1 << 15;

        private final JsonParser parser;
        private final FieldPath body = FieldPath.body();
        private final RepeatedStrings strings;
        private final RepeatedDimensions dimensionSets;
        /** The dimensions of the datum being read (at most 30 are read). */
        private final String[] dimensionNames = new String[CloudWatchRules.MAX_DIMENSIONS];
        private final String[] dimensionValues = new String[CloudWatchRules.MAX_DIMENSIONS];
        private final long nowMillis;
        private final boolean checkAge;
        private final List<Problem> problems = new ArrayList<>();
        private int problemCount;

        Reading(JsonParser parser, RepeatedStrings strings, RepeatedDimensions dimensionSets, long nowMillis,
                boolean checkAge) {
            this.parser = parser;
            this.strings = strings;
            this.dimensionSets = dimensionSets;
            this.nowMillis = nowMillis;
            this.checkAge = checkAge;
        }

        /** A batch: an array of inputs, at the current token. */
        List<PutMetricDataInput> batch() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                return wrongType(body, null, "a JSON array of PutMetricData inputs", List.of());
            }
            List<PutMetricDataInput> inputs = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                inputs.add(input(body.index(inputs.size())));
            }
            if (inputs.isEmpty()) {
                problem(body, null, "must contain at least 1 PutMetricData input");
            }
            return inputs;
        }

        /** One PutMetricData input at the current token. */
        PutMetricDataInput input(FieldPath at) throws IOException {
            PutMetricDataInput empty = new PutMetricDataInput("", List.of());
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(at, null, "a JSON object (a PutMetricData input)", empty);
            }
            String namespace = null;
            List<Datum> datums = List.of();
            Fields fields = new Fields(at);
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "Namespace" -> {
                        if (fields.first(field, NAMESPACE, token)) {
                            namespace = text(at, field, token, Rule.NAMESPACE);
                        }
                    }
                    case "MetricData" -> {
                        if (fields.first(field, METRIC_DATA, token)) {
                            datums = datums(at.field(field), token);
                        }
                    }
                    case "EntityMetricData", "StrictEntityValidation" -> {
                        problem(at, field, "is not supported: this gateway forwards MetricData only");
                        parser.skipChildren();
                    }
                    default -> unknown(at, field, "Namespace, MetricData");
                }
            }
            fields.require("Namespace", NAMESPACE);
            fields.require("MetricData", METRIC_DATA);
            return namespace == null ? empty : new PutMetricDataInput(namespace, datums);
        }

        private List<Datum> datums(FieldPath at, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (token != JsonToken.START_ARRAY) {
                return wrongType(at, null, "an array of MetricDatum objects", List.of());
            }
            List<Datum> datums = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Datum datum = datum(at.index(index));
                if (datum != null) {
                    datums.add(datum);
                }
                index++;
            }
            check(at, null, CloudWatchRules.datumCount(index));
            return datums;
        }

        /** One MetricDatum at the current token, or {@code null} when it breaks a rule. */
        private Datum datum(FieldPath at) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(at, null, "a MetricDatum object", null);
            }
            int problemsBefore = problemCount;
            String metricName = null;
            String unit = null;
            Integer resolution = null;
            long timestamp = nowMillis;
            List<Dimension> dimensions = List.of();
            double value = 0;
            double[] values = null;
            double[] counts = null;
            MetricValue.Statistics statistics = null;
            Fields fields = new Fields(at);
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "MetricName" -> {
                        if (fields.first(field, METRIC_NAME, token)) {
                            metricName = text(at, field, token, Rule.METRIC_NAME);
                        }
                    }
                    case "Dimensions" -> {
                        if (fields.first(field, DIMENSIONS, token)) {
                            dimensions = dimensions(at.field(field), token);
                        }
                    }
                    case "Value" -> {
                        if (fields.first(field, VALUE, token)) {
                            value = singleValue(at, field, token);
                        }
                    }
                    case "Values" -> {
                        if (fields.first(field, VALUES, token)) {
                            values = numbers(at.field(field), token, false);
                        }
                    }
                    case "Counts" -> {
                        if (fields.first(field, COUNTS, token)) {
                            counts = numbers(at.field(field), token, true);
                        }
                    }
                    case "StatisticValues" -> {
                        if (fields.first(field, STATISTIC_VALUES, token)) {
                            statistics = statistics(at.field(field), token);
                        }
                    }
                    case "Unit" -> {
                        if (fields.first(field, UNIT, token)) {
                            unit = text(at, field, token, Rule.UNIT);
                        }
                    }
                    case "StorageResolution" -> {
                        if (fields.first(field, STORAGE_RESOLUTION, token)) {
                            resolution = storageResolution(at, field, token);
                        }
                    }
                    case "Timestamp" -> {
                        if (fields.first(field, TIMESTAMP, token)) {
                            timestamp = timestamp(at, field, token);
                        }
                    }
                    default -> unknown(at, field, "MetricName, Dimensions, Value, Values, Counts, "
                            + "StatisticValues, Unit, StorageResolution, Timestamp");
                }
            }
            fields.require("MetricName", METRIC_NAME);
            MetricValue metricValue = valueForm(at, fields, value, values, counts, statistics);
            if (problemCount > problemsBefore) {
                return null;
            }
            return new Datum(metricName, dimensions, metricValue, unit, resolution, timestamp);
        }

        /** Exactly one of Value, Values (with optional Counts) and StatisticValues. */
        private MetricValue valueForm(FieldPath at, Fields fields, double value, double[] values, double[] counts,
                                      MetricValue.Statistics statistics) {
            int forms = (fields.has(VALUE) ? 1 : 0) + (fields.has(VALUES) ? 1 : 0) + (fields.has(STATISTIC_VALUES) ? 1 : 0);
            if (forms == 0) {
                problem(at, null, "must have one of Value, Values or StatisticValues");
                return null;
            }
            if (forms > 1) {
                List<String> present = new ArrayList<>(3);
                if (fields.has(VALUE)) {
                    present.add("Value");
                }
                if (fields.has(VALUES)) {
                    present.add("Values");
                }
                if (fields.has(STATISTIC_VALUES)) {
                    present.add("StatisticValues");
                }
                problem(at, null, "must have only one of Value, Values and StatisticValues, has "
                        + String.join(" and ", present));
                return null;
            }
            if (fields.has(COUNTS) && !fields.has(VALUES)) {
                problem(at, "Counts", "is only allowed together with Values");
                return null;
            }
            if (values != null && counts != null && counts.length != values.length) {
                problem(at, "Counts", "must have as many items as Values (" + values.length + "), has "
                        + counts.length);
                return null;
            }
            if (fields.has(VALUE)) {
                return new MetricValue.Single(value);
            }
            if (values != null) {
                return new MetricValue.Distribution(values, counts);
            }
            return statistics;
        }

        private List<Dimension> dimensions(FieldPath at, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (token != JsonToken.START_ARRAY) {
                return wrongType(at, null, "an array of {Name, Value} objects", List.of());
            }
            int index = 0;
            int count = 0; // valid dimensions read, in name order in dimensionNames and dimensionValues
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (index >= CloudWatchRules.MAX_DIMENSIONS) {
                    // Past the limit the datum is refused anyway: count the rest without reading them, so a
                    // list of 100,000 dimensions costs no more than skipping it.
                    parser.skipChildren();
                    index++;
                    continue;
                }
                FieldPath dimensionAt = at.index(index);
                if (dimension(dimensionAt, count)) {
                    count = inNameOrder(dimensionAt, count);
                }
                index++;
            }
            check(at, null, CloudWatchRules.dimensionCount(index));
            return dimensionSets.of(dimensionNames, dimensionValues, count);
        }

        /**
         * Moves the dimension just read (at {@code count}) to its place in name order, the order in which series
         * are told apart, and reports a name that repeats; returns the new count.
         */
        private int inNameOrder(FieldPath at, int count) {
            String name = dimensionNames[count];
            String value = dimensionValues[count];
            int position = count;
            while (position > 0 && dimensionNames[position - 1].compareTo(name) > 0) {
                dimensionNames[position] = dimensionNames[position - 1];
                dimensionValues[position] = dimensionValues[position - 1];
                position--;
            }
            dimensionNames[position] = name;
            dimensionValues[position] = value;
            if (position > 0 && dimensionNames[position - 1].equals(name)) {
                problem(at, "Name", "repeats the name of another dimension ('" + Texts.clip(name)
                        + "'); names must be unique within a datum");
            }
            return count + 1;
        }

        /** One {Name, Value} object, read into position {@code slot}; false when it breaks a rule. */
        private boolean dimension(FieldPath at, int slot) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(at, null, "a {Name, Value} object", false);
            }
            String name = null;
            String value = null;
            Fields fields = new Fields(at);
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "Name" -> {
                        if (fields.first(field, NAME, token)) {
                            name = text(at, field, token, Rule.DIMENSION_NAME);
                        }
                    }
                    case "Value" -> {
                        if (fields.first(field, VALUE, token)) {
                            value = text(at, field, token, Rule.DIMENSION_VALUE);
                        }
                    }
                    default -> unknown(at, field, "Name, Value");
                }
            }
            fields.require("Name", NAME);
            fields.require("Value", VALUE);
            dimensionNames[slot] = name;
            dimensionValues[slot] = value;
            return name != null && value != null;
        }

        private MetricValue.Statistics statistics(FieldPath at, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_OBJECT) {
                return wrongType(at, null, "an object {SampleCount, Sum, Minimum, Maximum}", null);
            }
            Double sampleCount = null;
            Double sum = null;
            Double minimum = null;
            Double maximum = null;
            Fields fields = new Fields(at);
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken fieldToken = parser.nextToken();
                switch (field) {
                    case "SampleCount" -> {
                        if (fields.first(field, SAMPLE_COUNT, fieldToken)) {
                            sampleCount = checked(at, field, number(at, field, fieldToken), CloudWatchRules::sampleCount);
                        }
                    }
                    case "Sum" -> {
                        if (fields.first(field, SUM, fieldToken)) {
                            sum = value(at, field, fieldToken);
                        }
                    }
                    case "Minimum" -> {
                        if (fields.first(field, MINIMUM, fieldToken)) {
                            minimum = value(at, field, fieldToken);
                        }
                    }
                    case "Maximum" -> {
                        if (fields.first(field, MAXIMUM, fieldToken)) {
                            maximum = value(at, field, fieldToken);
                        }
                    }
                    default -> unknown(at, field, "SampleCount, Sum, Minimum, Maximum");
                }
            }
            fields.require("SampleCount", SAMPLE_COUNT);
            fields.require("Sum", SUM);
            fields.require("Minimum", MINIMUM);
            fields.require("Maximum", MAXIMUM);
            if (minimum != null && maximum != null && minimum > maximum) {
                problem(at, "Minimum", "must not be greater than Maximum");
            }
            if (sampleCount == null || sum == null || minimum == null || maximum == null) {
                return null;
            }
            return new MetricValue.Statistics(sampleCount, sum, minimum, maximum);
        }

        /** Values (each a CloudWatch value) or Counts (each a count), as a JSON array of numbers. */
        private double[] numbers(FieldPath at, JsonToken token, boolean counts) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                return wrongType(at, null, "an array of numbers", null);
            }
            double[] numbers = new double[8];
            int size = 0;
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                double number;
                if (item == JsonToken.VALUE_NUMBER_INT || item == JsonToken.VALUE_NUMBER_FLOAT) {
                    number = parser.getDoubleValue();
                    String broken = counts ? CloudWatchRules.count(number) : CloudWatchRules.value(number);
                    if (broken != null) {
                        problem(at.index(size), null, broken);
                    }
                } else {
                    number = 0;
                    wrongType(at.index(size), null, "a number", null);
                }
                if (size == numbers.length) {
                    numbers = Arrays.copyOf(numbers, size * 2);
                }
                numbers[size++] = number;
            }
            if (!counts) {
                check(at, null, CloudWatchRules.valueCount(size));
            }
            return Arrays.copyOf(numbers, size);
        }

        /** {@code Value}, read without boxing (it is in nearly every datum); 0 when absent or broken. */
        private double singleValue(FieldPath at, String field, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                double number = parser.getDoubleValue();
                check(at, field, CloudWatchRules.value(number));
                return number;
            }
            if (token != JsonToken.VALUE_NULL) {
                wrongType(at, field, "a number", null);
            }
            return 0;
        }

        private Double value(FieldPath at, String field, JsonToken token) throws IOException {
            return checked(at, field, number(at, field, token), CloudWatchRules::value);
        }

        private Integer storageResolution(FieldPath at, String field, JsonToken token) throws IOException {
            Double resolution = checked(at, field, number(at, field, token), CloudWatchRules::storageResolution);
            return resolution == null ? null : resolution.intValue();
        }

        /** The timestamp in epoch milliseconds; the time of reading when absent or broken (then a problem). */
        private long timestamp(FieldPath at, String field, JsonToken token) throws IOException {
            long millis = switch (token) {
                case VALUE_NULL -> nowMillis;
                case VALUE_STRING -> Timestamps.parseIso(parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Timestamps.fromEpochNumber(parser.getDoubleValue());
                default -> {
                    parser.skipChildren();
                    yield Timestamps.INVALID;
                }
            };
            if (millis == Timestamps.INVALID) {
                problem(at, field, "must be an ISO-8601 date-time such as 2026-11-25T13:00:00.000Z, "
                        + "or a number of epoch seconds or epoch milliseconds");
                return nowMillis;
            }
            if (checkAge) {
                check(at, field, CloudWatchRules.timestamp(millis, nowMillis));
            }
            return millis;
        }

        /** A string under its rule: the shared copy, or {@code null} when null or broken (then a problem). */
        private String text(FieldPath at, String field, JsonToken token, Rule rule) throws IOException {
            if (token != JsonToken.VALUE_STRING) {
                return token == JsonToken.VALUE_NULL ? null : wrongType(at, field, "a string", null);
            }
            RepeatedStrings.Text text = strings.of(parser.getTextCharacters(), parser.getTextOffset(),
                    parser.getTextLength());
            String broken = text.broken(rule);
            if (broken != null) {
                problem(at, field, broken);
                return null;
            }
            return text.string;
        }

        private Double number(FieldPath at, String field, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            return token == JsonToken.VALUE_NULL ? null : wrongType(at, field, "a number", null);
        }

        /** Records a wrong JSON type and skips the value; returns {@code result}. */
        private <T> T wrongType(FieldPath at, String field, String expected, T result) throws IOException {
            problem(at, field, "must be " + expected);
            parser.skipChildren();
            return result;
        }

        private void unknown(FieldPath at, String field, String expected) throws IOException {
            problem(at, field, "is not a field of PutMetricData (expected one of: " + expected + ")");
            parser.skipChildren();
        }

        private <T> T checked(FieldPath at, String field, T value, Function<T, String> rule) {
            if (value == null) {
                return null;
            }
            String broken = rule.apply(value);
            if (broken != null) {
                problem(at, field, broken);
                return null;
            }
            return value;
        }

        private void check(FieldPath at, String field, String broken) {
            if (broken != null) {
                problem(at, field, broken);
            }
        }

        private void problem(FieldPath at, String field, String message) {
            problemCount++;
            if (problems.size() < MAX_PROBLEMS_LISTED) {
                problems.add(new Problem(at.describe(field), message));
            }
        }

        void throwIfProblems() throws InvalidInputException {
            if (problemCount == 0) {
                return;
            }
            String message = problemCount == 1 ? "1 problem"
                    : problemCount + " problems" + (problemCount > problems.size()
                            ? ", the first " + problems.size() + " listed" : "");
            throw new InvalidInputException("ValidationError", message, problems);
        }

        /** The known fields of one JSON object seen so far (and which were null), as bits. */
        private final class Fields {
            private final FieldPath at;
            private int seen;
            private int nulls;

            Fields(FieldPath at) {
                this.at = at;
            }

            /** Marks a field seen; a repeated one is a problem and its value is skipped. */
            boolean first(String name, int bit, JsonToken token) throws IOException {
                if ((seen & bit) != 0) {
                    problem(at, name, "appears more than once");
                    parser.skipChildren();
                    return false;
                }
                seen |= bit;
                if (token == JsonToken.VALUE_NULL) {
                    nulls |= bit;
                }
                return true;
            }

            /** Present and not null (a field of the wrong type counts as present: it has its own problem). */
            boolean has(int bit) {
                return (seen & bit) != 0 && (nulls & bit) == 0;
            }

            void require(String name, int bit) {
                if (!has(bit)) {
                    problem(at, name, "is required");
                }
            }
        }
    }
}
