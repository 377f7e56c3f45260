package com.cwgateway.metric;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * CloudWatch's PutMetricData rules, one method each, returning {@code null} when the value is allowed, else the
 * message a client reads next to the field path. Limits are the API Reference's (shared/cloudwatch-rules.md);
 * where documents disagree the stricter one is used, so whatever passes here CloudWatch accepts too.
 */
public final class CloudWatchRules {

    public static final int MAX_DATUMS_PER_REQUEST = 1000;
    /** 1 MB a request; CloudWatch does not say whether compressed, so it is taken uncompressed. */
    public static final int MAX_REQUEST_BYTES = 1_000_000;
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_DIMENSIONS = 30;
    public static final int MAX_DIMENSION_VALUE_LENGTH = 1024;
    public static final int MAX_VALUES = 150;
    /** Magnitudes CloudWatch stores; anything else except 0 is rejected (it would be truncated or overflow). */
    public static final double MIN_MAGNITUDE = 8.515920e-109;
    public static final double MAX_MAGNITUDE = 1.174271e+108;
    /** CloudWatch rejects data older than two weeks when it receives it. */
    public static final Duration CLOUDWATCH_MAX_AGE = Duration.ofDays(14);
    /** CloudWatch's, less ten minutes, so a point accepted near the edge is flushed before it is too old. */
    public static final Duration MAX_AGE = CLOUDWATCH_MAX_AGE.minusMinutes(10);
    public static final Duration MAX_AHEAD = Duration.ofHours(2);

    /** In the order CloudWatch's documentation lists them, so that error messages read the same way. */
    public static final List<String> UNITS = List.of(
            "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
            "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
            "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
    private static final Set<String> UNIT_SET = Set.copyOf(UNITS);

    private CloudWatchRules() {}

    public static String namespace(String namespace) {
        String text = asciiText(namespace, MAX_NAME_LENGTH, false);
        if (text != null) {
            return text;
        }
        if (namespace.startsWith(":")) {
            return "must not start with ':'";
        }
        if (namespace.startsWith("AWS/")) {
            return "must not start with 'AWS/' (reserved for AWS services)";
        }
        return null;
    }

    /** Any valid Unicode: the API reference's ASCII rule is for namespaces and dimensions, not metric names. */
    public static String metricName(String name) {
        return unicodeText(name, MAX_NAME_LENGTH);
    }

    public static String dimensionName(String name) {
        String text = asciiText(name, MAX_NAME_LENGTH, true);
        if (text != null) {
            return text;
        }
        return name.startsWith(":") ? "must not start with ':'" : null;
    }

    public static String dimensionValue(String value) {
        return asciiText(value, MAX_DIMENSION_VALUE_LENGTH, true);
    }

    public static String dimensionCount(int count) {
        return count > MAX_DIMENSIONS ? "must have at most " + MAX_DIMENSIONS + " dimensions, has " + count : null;
    }

    public static String datumCount(int count) {
        if (count == 0) {
            return "must contain at least 1 datum";
        }
        return count > MAX_DATUMS_PER_REQUEST
                ? "must contain at most " + MAX_DATUMS_PER_REQUEST + " datums, has " + count : null;
    }

    public static String valueCount(int count) {
        return count < 1 || count > MAX_VALUES ? "must have 1 to " + MAX_VALUES + " items, has " + count : null;
    }

    /** A number CloudWatch stores as it is: finite, and 0 or of a magnitude it can represent. */
    public static String value(double value) {
        if (!Double.isFinite(value)) {
            return "must be a finite number";
        }
        double magnitude = Math.abs(value);
        if (magnitude != 0 && (magnitude < MIN_MAGNITUDE || magnitude > MAX_MAGNITUDE)) {
            return "must be 0 or have a magnitude between " + MIN_MAGNITUDE + " and " + MAX_MAGNITUDE;
        }
        return null;
    }

    public static String count(double count) {
        String value = value(count);
        if (value != null) {
            return value;
        }
        return count < 0 ? "must be >= 0" : null;
    }

    public static String sampleCount(double sampleCount) {
        String value = value(sampleCount);
        if (value != null) {
            return value;
        }
        return sampleCount > 0 ? null : "must be > 0";
    }

    public static String unit(String unit) {
        return UNIT_SET.contains(unit) ? null : "must be one of the CloudWatch units (" + String.join(", ", UNITS) + ")";
    }

    public static String storageResolution(double resolution) {
        return resolution == 1 || resolution == 60 ? null : "must be 1 (high resolution) or 60 (standard)";
    }

    public static String timestamp(long timestampMillis, long nowMillis) {
        if (timestampMillis < nowMillis - MAX_AGE.toMillis()) {
            return "must be no more than 14 days in the past (CloudWatch rejects older data; the gateway "
                    + "keeps 10 minutes in hand to deliver it)";
        }
        if (timestampMillis > nowMillis + MAX_AHEAD.toMillis()) {
            return "must be no more than 2 hours in the future";
        }
        return null;
    }

    private static String length(String text, int max) {
        if (text.isEmpty() || text.length() > max) {
            return "must be 1 to " + max + " characters long, is " + text.length();
        }
        return null;
    }

    /** Text of 1..max characters that is valid Unicode (an unpaired surrogate cannot be encoded for CloudWatch). */
    private static String unicodeText(String text, int max) {
        String length = length(text, max);
        if (length != null) {
            return length;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text (has an unpaired surrogate)";
            }
        }
        return null;
    }

    /**
     * Text of 1..max ASCII characters and no control characters, with {@code notBlank} not only spaces (every
     * other ASCII whitespace is a control character). The offending character is named by its code point,
     * never quoted, so the answer stays valid text whatever the client sent.
     */
    private static String asciiText(String text, int max, boolean notBlank) {
        String length = length(text, max);
        if (length != null) {
            return length;
        }
        boolean blank = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || c == 0x7F) {
                return "must not contain control characters, has " + codePoint(text, i) + " at index " + i;
            }
            if (c > 0x7F) {
                return "must contain only ASCII characters, has " + codePoint(text, i) + " at index " + i;
            }
            blank &= c == ' ';
        }
        return notBlank && blank ? "must contain at least one non-whitespace character" : null;
    }

    /** The character at {@code index} as U+XXXX: a whole surrogate pair as the one character it encodes. */
    private static String codePoint(String text, int index) {
        return String.format("U+%04X", text.codePointAt(index));
    }
}
