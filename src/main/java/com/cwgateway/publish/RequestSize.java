package com.cwgateway.publish;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.DatumFields;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import java.util.List;

/**
 * An upper bound on the bytes a PutMetricData request takes in the SDK's Smithy RPC v2 CBOR encoding,
 * before compression, which chunks keep under {@link CloudWatchRules#MAX_REQUEST_BYTES}. The bound counts each key, a 5-byte
 * header for every string and array, and 9 bytes for every number (a CBOR double), which is never less
 * than what the SDK writes; a test compares it with the bytes the SDK actually sends.
 */
public final class RequestSize {

    private static final int HEADER = 5;
    private static final int NUMBER = 9;
    /** CBOR tag 1 (epoch time) before the number. */
    private static final int TIMESTAMP = 2 + NUMBER;

    private RequestSize() {}

    /** The request around its datums: the map, Namespace, and the MetricData array's key and header. */
    public static int envelope(String namespace) {
        return HEADER + key("Namespace") + string(namespace) + key("MetricData") + HEADER;
    }

    public static int of(Datum datum) {
        Counter size = new Counter();
        datum.walk(size);
        return size.bytes;
    }

    /** Adds up a datum's bytes field by field, starting with its map's header. */
    private static final class Counter implements DatumFields<RuntimeException> {

        private int bytes = HEADER;

        @Override
        public void metricName(String name) {
            bytes += key("MetricName") + string(name);
        }

        @Override
        public void dimensions(List<Dimension> dimensions) {
            bytes += key("Dimensions") + HEADER;
            for (Dimension dimension : dimensions) {
                bytes += HEADER + key("Name") + string(dimension.name()) + key("Value") + string(dimension.value());
            }
        }

        @Override
        public void value(double value) {
            bytes += key("Value") + NUMBER;
        }

        @Override
        public void values(double[] values, double[] counts) {
            bytes += key("Values") + HEADER + NUMBER * values.length;
            if (counts != null) {
                bytes += key("Counts") + HEADER + NUMBER * counts.length;
            }
        }

        @Override
        public void statistics(MetricValue.Statistics statistics) {
            bytes += key("StatisticValues") + HEADER + key("SampleCount") + key("Sum") + key("Minimum")
                    + key("Maximum") + 4 * NUMBER;
        }

        @Override
        public void unit(String unit) {
            bytes += key("Unit") + string(unit);
        }

        @Override
        public void storageResolution(int resolution) {
            bytes += key("StorageResolution") + NUMBER;
        }

        @Override
        public void timestamp(long epochMillis) {
            bytes += key("Timestamp") + TIMESTAMP;
        }
    }

    private static int key(String name) {
        return 1 + name.length();
    }

    private static int string(String text) {
        return HEADER + utf8Length(text);
    }

    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
