package com.cwgateway.ingest;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.metric.MetricValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Reads PutMetricData input JSON ({@code POST /metrics}: one object; {@code POST /batch}: an array of them)
 * straight from the bytes with Jackson's streaming parser into validated {@link MetricBatch}es. Every
 * problem is collected with its field path, so one answer tells the client all that is wrong; any problem
 * rejects the whole body, so a request is never half accepted.
 */
public final class PutMetricDataReader {

    /** Enough to name what is wrong in any real request while keeping the error body small. */
    static final int MAX_PROBLEMS_LISTED = 100;

    private static final JsonFactory JSON = JsonFactory.builder()
            // A PutMetricData input is 4 levels deep; a hostile body must not cost deep recursion.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build())
            .build();

    private final Clock clock;

    public PutMetricDataReader(Clock clock) {
        this.clock = clock;
    }

    /** The body of {@code POST /metrics}: one PutMetricData input. */
    public MetricBatch readInput(byte[] body) throws InvalidInputException {
        return read(body, false).getFirst();
    }

    /** The body of {@code POST /batch}: a non-empty array of PutMetricData inputs. */
    public List<MetricBatch> readBatch(byte[] body) throws InvalidInputException {
        return read(body, true);
    }

    private List<MetricBatch> read(byte[] body, boolean batch) throws InvalidInputException {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() == null) {
                throw invalidJson("the body is empty");
            }
            Reading reading = new Reading(parser, clock.millis());
            List<MetricBatch> batches = batch ? reading.batch() : List.of(reading.input(""));
            if (parser.nextToken() != null) {
                var location = parser.currentLocation();
                throw invalidJson("unexpected content after the JSON value at line " + location.getLineNr()
                        + ", column " + location.getColumnNr());
            }
            reading.throwIfProblems();
            return batches;
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw invalidJson(e.getOriginalMessage() + (location == null ? ""
                    : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
        } catch (IOException e) {
            throw invalidJson(e.getMessage());
        }
    }

    private static InvalidInputException invalidJson(String message) {
        return new InvalidInputException("InvalidJson", "body is not valid JSON: " + message, List.of());
    }

    /** The state of reading one body: the parser, the time it is read at, the problems found. */
    private static final class Reading {

        private final JsonParser parser;
        private final long nowMillis;
        private final List<Problem> problems = new ArrayList<>();
        private int problemCount;

        Reading(JsonParser parser, long nowMillis) {
            this.parser = parser;
            this.nowMillis = nowMillis;
        }

        /** A batch: an array of inputs, at the current token. */
        List<MetricBatch> batch() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                problem(Problem.BODY, "must be a JSON array of PutMetricData inputs");
                parser.skipChildren();
                return List.of();
            }
            List<MetricBatch> batches = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                MetricBatch input = input("[" + batches.size() + "].");
                batches.add(input);
            }
            if (batches.isEmpty()) {
                problem(Problem.BODY, "must contain at least 1 PutMetricData input");
            }
            return batches;
        }

        /** One PutMetricData input at the current token; its fields' paths start with {@code prefix}. */
        MetricBatch input(String prefix) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                problem(prefix.isEmpty() ? Problem.BODY : prefix.substring(0, prefix.length() - 1),
                        "must be a JSON object (a PutMetricData input)");
                parser.skipChildren();
                return new MetricBatch("", List.of());
            }
            String namespace = null;
            List<Datum> datums = null;
            Fields seen = new Fields();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (!seen.first(field)) {
                    problem(prefix + field, "appears more than once");
                    parser.skipChildren();
                    continue;
                }
                switch (field) {
                    case "Namespace" -> namespace = checked(prefix + field, string(prefix + field, token),
                            CloudWatchRules::namespace);
                    case "MetricData" -> datums = datums(prefix, token);
                    case "EntityMetricData", "StrictEntityValidation" -> {
                        problem(prefix + field, "is not supported: this gateway forwards MetricData only");
                        parser.skipChildren();
                    }
                    default -> unknown(prefix + field, "Namespace, MetricData");
                }
            }
            if (namespace == null) {
                requiredUnlessTyped(prefix + "Namespace", seen, "Namespace");
            }
            if (datums == null) {
                requiredUnlessTyped(prefix + "MetricData", seen, "MetricData");
                datums = List.of();
            }
            return new MetricBatch(namespace == null ? "" : namespace, datums);
        }

        private List<Datum> datums(String prefix, JsonToken token) throws IOException {
            String path = prefix + "MetricData";
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                return wrongType(path, "an array of MetricDatum objects");
            }
            List<Datum> datums = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Datum datum = datum(path + "[" + index + "]");
                if (datum != null) {
                    datums.add(datum);
                }
                index++;
            }
            check(path, CloudWatchRules.datumCount(index));
            return datums;
        }

        /** One MetricDatum at the current token, or {@code null} when it breaks a rule. */
        private Datum datum(String path) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(path, "a MetricDatum object");
            }
            int problemsBefore = problemCount;
            String metricName = null;
            String unit = null;
            Integer resolution = null;
            Long timestamp = null;
            List<Dimension> dimensions = List.of();
            Double value = null;
            double[] values = null;
            double[] counts = null;
            MetricValue.Statistics statistics = null;
            Fields seen = new Fields();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                String fieldPath = path + "." + field;
                if (!seen.first(field)) {
                    problem(fieldPath, "appears more than once");
                    parser.skipChildren();
                    continue;
                }
                switch (field) {
                    case "MetricName" -> metricName = checked(fieldPath, string(fieldPath, token),
                            CloudWatchRules::metricName);
                    case "Dimensions" -> dimensions = dimensions(fieldPath, token);
                    case "Value" -> value = value(fieldPath, token);
                    case "Values" -> values = numbers(fieldPath, token, false);
                    case "Counts" -> counts = numbers(fieldPath, token, true);
                    case "StatisticValues" -> statistics = statistics(fieldPath, token);
                    case "Unit" -> unit = checked(fieldPath, string(fieldPath, token), CloudWatchRules::unit);
                    case "StorageResolution" -> resolution = storageResolution(fieldPath, token);
                    case "Timestamp" -> timestamp = timestamp(fieldPath, token);
                    default -> unknown(fieldPath, "MetricName, Dimensions, Value, Values, Counts, "
                            + "StatisticValues, Unit, StorageResolution, Timestamp");
                }
            }
            if (metricName == null) {
                requiredUnlessTyped(path + ".MetricName", seen, "MetricName");
            }
            MetricValue metricValue = valueForm(path, seen, value, values, counts, statistics);
            if (problemCount > problemsBefore) {
                return null;
            }
            return new Datum(metricName, dimensions, metricValue, unit, resolution,
                    timestamp == null ? nowMillis : timestamp);
        }

        /** Exactly one of Value, Values (with optional Counts) and StatisticValues. */
        private MetricValue valueForm(String path, Fields seen, Double value, double[] values, double[] counts,
                                      MetricValue.Statistics statistics) {
            List<String> forms = new ArrayList<>(3);
            for (String form : List.of("Value", "Values", "StatisticValues")) {
                if (seen.has(form)) {
                    forms.add(form);
                }
            }
            if (forms.isEmpty()) {
                problem(path, "must have one of Value, Values or StatisticValues");
                return null;
            }
            if (forms.size() > 1) {
                problem(path, "must have only one of Value, Values and StatisticValues, has " + String.join(" and ", forms));
                return null;
            }
            if (seen.has("Counts") && !seen.has("Values")) {
                problem(path + ".Counts", "is only allowed together with Values");
                return null;
            }
            if (values != null && counts != null && counts.length != values.length) {
                problem(path + ".Counts", "must have as many items as Values (" + values.length + "), has "
                        + counts.length);
                return null;
            }
            if (value != null) {
                return new MetricValue.Single(value);
            }
            if (values != null) {
                return new MetricValue.Distribution(values, counts);
            }
            return statistics;
        }

        private List<Dimension> dimensions(String path, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (token != JsonToken.START_ARRAY) {
                wrongType(path, "an array of {Name, Value} objects");
                return List.of();
            }
            List<Dimension> dimensions = new ArrayList<>();
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Dimension dimension = dimension(path + "[" + index + "]");
                if (dimension != null) {
                    for (int other = 0; other < dimensions.size(); other++) {
                        if (dimensions.get(other).name().equals(dimension.name())) {
                            problem(path + "[" + index + "].Name", "repeats the name of another dimension ('"
                                    + clip(dimension.name()) + "'); names must be unique within a datum");
                        }
                    }
                    dimensions.add(dimension);
                }
                index++;
            }
            check(path, CloudWatchRules.dimensionCount(index));
            return List.copyOf(dimensions);
        }

        private Dimension dimension(String path) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(path, "a {Name, Value} object");
            }
            String name = null;
            String value = null;
            Fields seen = new Fields();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                String fieldPath = path + "." + field;
                if (!seen.first(field)) {
                    problem(fieldPath, "appears more than once");
                    parser.skipChildren();
                    continue;
                }
                switch (field) {
                    case "Name" -> name = checked(fieldPath, string(fieldPath, token), CloudWatchRules::dimensionName);
                    case "Value" -> value = checked(fieldPath, string(fieldPath, token),
                            CloudWatchRules::dimensionValue);
                    default -> unknown(fieldPath, "Name, Value");
                }
            }
            if (name == null) {
                requiredUnlessTyped(path + ".Name", seen, "Name");
            }
            if (value == null) {
                requiredUnlessTyped(path + ".Value", seen, "Value");
            }
            return name == null || value == null ? null : new Dimension(name, value);
        }

        private MetricValue.Statistics statistics(String path, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_OBJECT) {
                return wrongType(path, "an object {SampleCount, Sum, Minimum, Maximum}");
            }
            Double sampleCount = null;
            Double sum = null;
            Double minimum = null;
            Double maximum = null;
            Fields seen = new Fields();
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                JsonToken fieldToken = parser.nextToken();
                String fieldPath = path + "." + field;
                if (!seen.first(field)) {
                    problem(fieldPath, "appears more than once");
                    parser.skipChildren();
                    continue;
                }
                switch (field) {
                    case "SampleCount" -> sampleCount = checked(fieldPath, number(fieldPath, fieldToken),
                            CloudWatchRules::sampleCount);
                    case "Sum" -> sum = value(fieldPath, fieldToken);
                    case "Minimum" -> minimum = value(fieldPath, fieldToken);
                    case "Maximum" -> maximum = value(fieldPath, fieldToken);
                    default -> unknown(fieldPath, "SampleCount, Sum, Minimum, Maximum");
                }
            }
            for (String required : List.of("SampleCount", "Sum", "Minimum", "Maximum")) {
                requiredUnlessTyped(path + "." + required, seen, required);
            }
            if (minimum != null && maximum != null && minimum > maximum) {
                problem(path + ".Minimum", "must not be greater than Maximum");
            }
            if (sampleCount == null || sum == null || minimum == null || maximum == null) {
                return null;
            }
            return new MetricValue.Statistics(sampleCount, sum, minimum, maximum);
        }

        /** Values (each a CloudWatch value) or Counts (each a count), as a JSON array of numbers. */
        private double[] numbers(String path, JsonToken token, boolean counts) throws IOException {
            if (token == JsonToken.VALUE_NULL) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                return wrongType(path, "an array of numbers");
            }
            double[] numbers = new double[16];
            int size = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String itemPath = path + "[" + size + "]";
                Double number = number(itemPath, parser.currentToken());
                if (number != null) {
                    check(itemPath, counts ? CloudWatchRules.count(number) : CloudWatchRules.value(number));
                }
                if (size == numbers.length) {
                    numbers = Arrays.copyOf(numbers, size * 2);
                }
                numbers[size++] = number == null ? 0 : number;
            }
            if (!counts) {
                check(path, CloudWatchRules.valueCount(size));
            }
            return Arrays.copyOf(numbers, size);
        }

        private Double value(String path, JsonToken token) throws IOException {
            return checked(path, number(path, token), CloudWatchRules::value);
        }

        private Integer storageResolution(String path, JsonToken token) throws IOException {
            Double resolution = checked(path, number(path, token), CloudWatchRules::storageResolution);
            return resolution == null ? null : resolution.intValue();
        }

        private Long timestamp(String path, JsonToken token) throws IOException {
            Long millis = switch (token) {
                case VALUE_NULL -> null;
                case VALUE_STRING -> Timestamps.parseIso(parser.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Timestamps.fromEpochNumber(parser.getDoubleValue());
                default -> {
                    parser.skipChildren();
                    yield Timestamps.INVALID;
                }
            };
            if (millis != null && millis == Timestamps.INVALID) {
                problem(path, "must be an ISO-8601 date-time such as 2026-11-25T13:00:00.000Z, "
                        + "or a number of epoch seconds or epoch milliseconds");
                return null;
            }
            return millis == null ? null : checked(path, millis, m -> CloudWatchRules.timestamp(m, nowMillis));
        }

        private String string(String path, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
            if (token != JsonToken.VALUE_NULL) {
                wrongType(path, "a string");
            }
            return null;
        }

        private Double number(String path, JsonToken token) throws IOException {
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                return parser.getDoubleValue();
            }
            if (token != JsonToken.VALUE_NULL) {
                wrongType(path, "a number");
            }
            return null;
        }

        /** Records a wrong JSON type at {@code path} and skips the value; always returns {@code null}. */
        private <T> T wrongType(String path, String expected) throws IOException {
            problem(path, "must be " + expected);
            parser.skipChildren();
            return null;
        }

        private void unknown(String path, String expected) throws IOException {
            problem(clip(path), "is not a field of PutMetricData (expected one of: " + expected + ")");
            parser.skipChildren();
        }

        /** A required field that is absent, or null; one of the wrong type has its own problem already. */
        private void requiredUnlessTyped(String path, Fields seen, String field) {
            if (!seen.has(field)) {
                problem(path, "is required");
            }
        }

        private <T> T checked(String path, T value, Function<T, String> rule) {
            if (value == null) {
                return null;
            }
            String broken = rule.apply(value);
            if (broken != null) {
                problem(path, broken);
                return null;
            }
            return value;
        }

        private void check(String path, String broken) {
            if (broken != null) {
                problem(path, broken);
            }
        }

        private void problem(String path, String message) {
            problemCount++;
            if (problems.size() < MAX_PROBLEMS_LISTED) {
                problems.add(new Problem(path, message));
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

        /** Which fields of one JSON object have been seen, and which of them were null. */
        private final class Fields {
            private final List<String> names = new ArrayList<>(8);
            private final List<String> nulls = new ArrayList<>(2);

            boolean first(String name) {
                if (names.contains(name)) {
                    return false;
                }
                names.add(name);
                if (parser.currentToken() == JsonToken.VALUE_NULL) {
                    nulls.add(name);
                }
                return true;
            }

            boolean has(String name) {
                return names.contains(name) && !nulls.contains(name);
            }
        }
    }

    /** Long names (a hostile client may send megabytes of key) are cut in messages. */
    private static String clip(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
