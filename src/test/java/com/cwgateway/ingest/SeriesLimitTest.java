package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.testsupport.AdjustableClock;
import com.cwgateway.testsupport.CollidingStrings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MAX_SERIES counts series exactly, per window, and refuses a request that would pass it whole. */
@Timeout(30)
class SeriesLimitTest {

    private static PutMetricDataInput batch(List<String> values) {
        List<Datum> datums = new ArrayList<>();
        for (String value : values) {
            datums.add(new Datum("Latency", List.of(new Dimension("Id", value)), new MetricValue.Single(1), null, null,
                    0));
        }
        return new PutMetricDataInput("App", datums);
    }

    @Test
    void seriesMadeToShareAHashAreCountedOneByOne() {
        SeriesLimit limit = new SeriesLimit(10, Duration.ofMinutes(1), new AdjustableClock());
        List<String> values = CollidingStrings.of(100);
        assertEquals(1, values.stream().map(String::hashCode).distinct().count());

        assertTrue(limit.admit(List.of(batch(values.subList(0, 10)))).admitted());
        assertTrue(limit.admit(List.of(batch(values.subList(0, 10)))).admitted(), "the same ten again");
        assertFalse(limit.admit(List.of(batch(values.subList(10, 11)))).admitted(), "an eleventh, whatever its hash");
        assertFalse(limit.admit(List.of(batch(values))).admitted());
    }

    @Test
    void aRefusedRequestCountsNothingAndANewWindowStartsAfresh() {
        AdjustableClock clock = new AdjustableClock();
        SeriesLimit limit = new SeriesLimit(3, Duration.ofMinutes(1), clock);

        assertTrue(limit.admit(List.of(batch(List.of("a", "b")))).admitted());
        assertFalse(limit.admit(List.of(batch(List.of("c", "d")))).admitted());
        assertTrue(limit.admit(List.of(batch(List.of("c")))).admitted(), "the refused request took no room");
        assertFalse(limit.admit(List.of(batch(List.of("d")))).admitted());

        clock.advance(Duration.ofMinutes(1));

        assertTrue(limit.admit(List.of(batch(List.of("d", "e", "f")))).admitted());
    }

    @Test
    void seriesGivenBackFreeTheirRoomButOnlyInTheirOwnWindow() {
        AdjustableClock clock = new AdjustableClock();
        SeriesLimit limit = new SeriesLimit(3, Duration.ofMinutes(1), clock);
        assertTrue(limit.admit(List.of(batch(List.of("a")))).admitted());

        SeriesLimit.Admission refusedLater = limit.admit(List.of(batch(List.of("a", "b", "c"))));
        assertTrue(refusedLater.admitted());
        limit.giveBack(refusedLater);
        assertTrue(limit.admit(List.of(batch(List.of("d", "e")))).admitted(), "b and c were given back; a stays");
        assertFalse(limit.admit(List.of(batch(List.of("b")))).admitted(), "a, d and e fill the cap");

        SeriesLimit.Admission lastWindow = limit.admit(List.of(batch(List.of("a"))));
        clock.advance(Duration.ofMinutes(1));
        assertTrue(limit.admit(List.of(batch(List.of("x", "y", "z")))).admitted());
        limit.giveBack(lastWindow);
        assertFalse(limit.admit(List.of(batch(List.of("w")))).admitted(), "a give-back from the last window frees nothing");
    }

    @Test
    void theNamespaceTheMetricAndEachDimensionTellSeriesApart() {
        SeriesLimit limit = new SeriesLimit(4, Duration.ofMinutes(1), new AdjustableClock());
        Datum datum = batch(List.of("x")).datums().getFirst();

        assertTrue(limit.admit(List.of(new PutMetricDataInput("App", List.of(datum)))).admitted());
        assertTrue(limit.admit(List.of(new PutMetricDataInput("Other", List.of(datum)))).admitted());
        assertTrue(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Errors", datum.dimensions(),
                datum.value(), null, null, 0))))).admitted());
        assertTrue(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Latency",
                List.of(new Dimension("Id", "x"), new Dimension("Zone", "a")), datum.value(), null, null, 0))))).admitted());
        assertFalse(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Latency",
                List.of(new Dimension("Id", "x"), new Dimension("Zone", "b")), datum.value(), null, null, 0))))).admitted());
        assertTrue(limit.admit(List.of(new PutMetricDataInput("App", List.of(datum)))).admitted(),
                "a series already counted");
    }
}
