package com.cwgateway.testsupport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.io.IOException;
import java.io.InputStream;

/**
 * What {@link CloudWatchStandIn} learns from one PutMetricData body in a single streaming pass over its CBOR: no
 * tree, no list, so that counting millions of datums stays cheap. Both of the stand-in's modes refuse a call by
 * {@link #overLimit}, so a call is refused alike whether the stand-in records it or only counts it.
 *
 * <p>Points: a datum with {@code Counts} counts their sum; with {@code Values} only, one per value; with
 * {@code StatisticValues}, its {@code SampleCount}; with {@code Value}, one. So a gateway delivered everything
 * when the points add up to the number of single-value datums that were posted, aggregated or not.
 *
 * @param datums    the entries of {@code MetricData}
 * @param points    the points those datums stand for (see above)
 * @param bodyBytes the size of the CBOR body, uncompressed
 * @param overLimit the first of CloudWatch's request limits the body passes, in CloudWatch's words; null if none
 */
record CallTally(long datums, double points, long bodyBytes, String overLimit) {

    /** CloudWatch's limits on one PutMetricData call; the body is counted uncompressed, the stricter reading. */
    static final int MAX_DATUMS = 1000;
    static final int MAX_BODY_BYTES = 1_000_000;
    static final int MAX_VALUES = 150;
    static final int MAX_DIMENSIONS = 30;

    private static final CBORFactory CBOR = new CBORFactory();

    /**
     * One pass over {@code {"Namespace":..., "MetricData":[{...}, ...]}} (every other member is skipped), then
     * over whatever follows it, so that {@link #bodyBytes} is the whole body. Throws if it is not a CBOR map.
     *
     * <p>The limits, checked in this order as CloudWatch reports only one: an uncompressed body over
     * {@value #MAX_BODY_BYTES} bytes, more than {@value #MAX_DATUMS} datums, then datum by datum more than
     * {@value #MAX_DIMENSIONS} dimensions (repeated names count too), more than {@value #MAX_VALUES} values, or
     * more than {@value #MAX_VALUES} counts.
     */
    static CallTally of(InputStream cbor) throws IOException {
        ByteCount body = new ByteCount(cbor);
        long datums = 0;
        double points = 0;
        String datumOverLimit = null;
        try (JsonParser p = CBOR.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("PutMetricData body is not a CBOR map");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken value = p.nextToken();
                if ("MetricData".equals(member) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        datums++;
                        Datum datum = datum(p);
                        points += datum.points();
                        if (datumOverLimit == null) {
                            datumOverLimit = datum.overLimit("MetricData.member." + datums + ".");
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            body.skipRest();
        }
        String overLimit;
        if (body.count > MAX_BODY_BYTES) {
            overLimit = "The request size " + body.count + " exceeded the limit of " + MAX_BODY_BYTES + " bytes.";
        } else if (datums > MAX_DATUMS) {
            overLimit = tooMany("MetricData", MAX_DATUMS);
        } else {
            overLimit = datumOverLimit;
        }
        return new CallTally(datums, points, body.count, overLimit);
    }

    /** The sizes of one datum's collections that CloudWatch limits, and the points it stands for. */
    private record Datum(long dimensions, long values, long counts, double points) {

        String overLimit(String member) {
            if (dimensions > MAX_DIMENSIONS) {
                return tooMany(member + "Dimensions", MAX_DIMENSIONS);
            }
            if (values > MAX_VALUES) {
                return tooMany(member + "Values", MAX_VALUES);
            }
            return counts > MAX_VALUES ? tooMany(member + "Counts", MAX_VALUES) : null;
        }
    }

    /** One MetricDatum; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static Datum datum(JsonParser p) throws IOException {
        long dimensions = 0;
        long values = -1;
        long counts = 0;
        double countSum = -1;
        double sampleCount = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String member = p.currentName();
            p.nextToken();
            switch (member) {
                case "Dimensions" -> {
                    while (element(p)) {
                        dimensions++;
                        p.skipChildren();
                    }
                }
                case "Values" -> {
                    values = 0;
                    while (element(p)) {
                        values++;
                    }
                }
                case "Counts" -> {
                    countSum = 0;
                    while (element(p)) {
                        counts++;
                        countSum += p.getDoubleValue();
                    }
                }
                case "StatisticValues" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String statistic = p.currentName();
                        p.nextToken();
                        if ("SampleCount".equals(statistic)) {
                            sampleCount = p.getDoubleValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        double points = countSum >= 0 ? countSum : values >= 0 ? values : sampleCount >= 0 ? sampleCount : 1;
        return new Datum(dimensions, Math.max(values, 0), counts, points);
    }

    /** Moves to the next element of the array the parser is in; false at its end. */
    private static boolean element(JsonParser p) throws IOException {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new IOException("PutMetricData body ends inside an array");
        }
        return token != JsonToken.END_ARRAY;
    }

    private static String tooMany(String collection, int limit) {
        return "The collection " + collection + " must not have a size greater than " + limit + ".";
    }

    /** Counts the bytes read through it: the body's size without holding the body. */
    private static final class ByteCount extends InputStream {
        private final InputStream in;
        private final byte[] skipped = new byte[8192];
        long count;

        ByteCount(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        /** Reads (and counts) what the parser left, e.g. bytes after the map. */
        void skipRest() throws IOException {
            while (read(skipped, 0, skipped.length) >= 0) {
                // counted by read
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
