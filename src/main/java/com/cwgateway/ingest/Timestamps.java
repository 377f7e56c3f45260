package com.cwgateway.ingest;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The timestamp forms clients send. A string is ISO-8601 with a zone ({@code 2026-11-25T13:00:00.000Z},
 * what JavaScript's {@code Date} serialises to, or with an offset). A number below {@value #MILLIS_FROM}
 * is epoch seconds (fractions allowed), any other number epoch milliseconds: 1e11 seconds is the year 5138,
 * while 1e11 milliseconds is March 1973, so every timestamp CloudWatch accepts reads the same either way.
 */
final class Timestamps {

    /** Returned for a timestamp that cannot be read; no valid timestamp is this old. */
    static final long INVALID = Long.MIN_VALUE;
    static final double MILLIS_FROM = 1e11;

    private Timestamps() {}

    /** RFC 3339 with seconds, as CloudWatch takes it: {@link Instant#parse} reads a Z or an offset alike. */
    static long parseIso(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return INVALID;
        }
    }

    static long fromEpochNumber(double number) {
        if (!Double.isFinite(number) || number < 0) {
            return INVALID;
        }
        double millis = number < MILLIS_FROM ? number * 1000 : number;
        return millis > Long.MAX_VALUE / 2 ? INVALID : Math.round(millis);
    }
}
