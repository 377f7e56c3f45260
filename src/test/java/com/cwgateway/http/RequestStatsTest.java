package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RequestStatsTest {

    @Test
    void aDurationOnABoundIsInThatBucketAndEveryBucketCountsWhatIsBelowIt() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(1_000_000); // exactly 1 ms
        histogram.record(1_000_001);
        histogram.record(20_000_000_000L); // above every bound

        long[] cumulative = histogram.cumulative();
        int oneMillisecond = 1; // BOUNDS: 0.0005, 0.001, ...
        assertEquals(0, cumulative[oneMillisecond - 1]);
        assertEquals(1, cumulative[oneMillisecond]);
        assertEquals(2, cumulative[oneMillisecond + 1]);
        assertEquals(2, cumulative[LatencyHistogram.BOUNDS.length - 1]);
        assertEquals(3, cumulative[LatencyHistogram.BOUNDS.length]);
        assertEquals(20.002000001, histogram.sumSeconds(), 1e-9);
    }

    @Test
    void pathsClientsMakeUpShareOneLabelForCountsAndDurations() {
        RequestStats stats = new RequestStats(Set.of("/metrics"));
        stats.count("/metrics", "POST", 202, 1_000);
        stats.count("/a", "POST", 404, 1_000);
        stats.count("/b", "BREW", 404, 1_000);

        assertEquals(Map.of(new RequestStats.Key("/metrics", "POST", 202), 1L,
                new RequestStats.Key("other", "other", 404), 2L), stats.snapshot());
        assertEquals(Set.of("/metrics", "other"), stats.durations().keySet());
        assertEquals(2, stats.durations().get("other").cumulative()[0]);
    }

    @Test
    void aHistogramIsWrittenWithCumulativeBucketsThenSumAndCount() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(3_000_000);
        String page = new Exposition().family("t_seconds", "histogram", "Test.")
                .histogram("t_seconds", "path=\"/x\"", histogram).toString();

        assertTrue(page.contains("t_seconds_bucket{path=\"/x\",le=\"0.0025\"} 0\n"), page);
        assertTrue(page.contains("t_seconds_bucket{path=\"/x\",le=\"0.005\"} 1\n"), page);
        assertTrue(page.contains("t_seconds_bucket{path=\"/x\",le=\"+Inf\"} 1\n"), page);
        assertTrue(page.contains("t_seconds_sum{path=\"/x\"} 0.003\n"), page);
        assertTrue(page.endsWith("t_seconds_count{path=\"/x\"} 1\n"), page);
    }

    @Test
    void theProcessFiguresAreReadOnLinux() {
        ProcessStats process = ProcessStats.now();
        assertTrue(process.cpuSeconds() > 0, process.toString());
        assertTrue(Math.abs(process.startTimeSeconds() - System.currentTimeMillis() / 1000.0) < 86_400, process.toString());
        assertTrue(process.residentBytes() > 10 << 20, process.toString());
        assertTrue(process.virtualBytes() >= process.residentBytes(), process.toString());
        assertTrue(process.openFds() > 2 && (process.maxFds() == -1 || process.maxFds() >= process.openFds()),
                process.toString());
    }
}
