package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TimestampsTest {

    private static final long NOON = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();

    @Test
    void isoTimestampsNeedSecondsAndAZoneWhicheverWayItIsWritten() {
        assertEquals(NOON, Timestamps.parseIso("2026-11-25T12:00:00.000Z"));
        assertEquals(NOON, Timestamps.parseIso("2026-11-25T12:00:00z"));
        assertEquals(NOON, Timestamps.parseIso("2026-11-25T14:00:00+02:00"));
        assertEquals(NOON + 500, Timestamps.parseIso("2026-11-25T06:30:00.5-05:30"));
        assertEquals(Timestamps.INVALID, Timestamps.parseIso("2026-11-25T12:00Z"), "no seconds");
        assertEquals(Timestamps.INVALID, Timestamps.parseIso("2026-11-25T14:00+02:00"), "no seconds, with an offset");
        assertEquals(Timestamps.INVALID, Timestamps.parseIso("2026-11-25T12:00:00"), "no zone");
        assertEquals(Timestamps.INVALID, Timestamps.parseIso("yesterday"));
    }

    @Test
    void numbersBelowOneHundredBillionAreSecondsAndTheRestMilliseconds() {
        assertEquals(NOON, Timestamps.fromEpochNumber(NOON / 1000.0));
        assertEquals(NOON + 250, Timestamps.fromEpochNumber(NOON / 1000.0 + 0.25));
        assertEquals(NOON, Timestamps.fromEpochNumber(NOON));
        assertEquals(99_999_999_999_000L, Timestamps.fromEpochNumber(99_999_999_999.0));
        assertEquals(100_000_000_000L, Timestamps.fromEpochNumber(1e11));
        assertEquals(Timestamps.INVALID, Timestamps.fromEpochNumber(-1));
        assertEquals(Timestamps.INVALID, Timestamps.fromEpochNumber(Double.NaN));
        assertEquals(Timestamps.INVALID, Timestamps.fromEpochNumber(1e300));
    }
}
