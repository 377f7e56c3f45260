package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;

/**
 * An upper bound on the bytes a PutMetricData request takes in the SDK's Smithy RPC v2 CBOR encoding,
 * before compression. CloudWatch limits a request to 1 MB; it does not say whether compressed or not,
 * so chunks are kept under {@link #MAX_REQUEST_BYTES} uncompressed. The bound counts each key, a 5-byte
 * header for every string and array, and 9 bytes for every number (a CBOR double), which is never less
 * than what the SDK writes; a test compares it with the bytes the SDK actually sends.
 */
public final class RequestSize {

    public static final int MAX_REQUEST_BYTES = 1_000_000;

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
        int size = HEADER + key("MetricName") + string(datum.metricName());
        if (!datum.dimensions().isEmpty()) {
            size += key("Dimensions") + HEADER;
            for (Dimension dimension : datum.dimensions()) {
                size += HEADER + key("Name") + string(dimension.name()) + key("Value") + string(dimension.value());
            }
        }
        size += switch (datum.value()) {
            case MetricValue.Single single -> key("Value") + NUMBER;
            case MetricValue.Distribution distribution -> key("Values") + HEADER
                    + NUMBER * distribution.values().length
                    + (distribution.counts() == null ? 0 : key("Counts") + HEADER + NUMBER * distribution.counts().length);
            case MetricValue.Statistics statistics -> key("StatisticValues") + HEADER
                    + key("SampleCount") + key("Sum") + key("Minimum") + key("Maximum") + 4 * NUMBER;
        };
        if (datum.unit() != null) {
            size += key("Unit") + string(datum.unit());
        }
        if (datum.storageResolution() != null) {
            size += key("StorageResolution") + NUMBER;
        }
        return size + key("Timestamp") + TIMESTAMP;
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
