package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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

        assertNotNull(limit.admit(List.of(batch(values.subList(0, 10)))));
        assertNotNull(limit.admit(List.of(batch(values.subList(0, 10)))), "the same ten again");
        assertNull(limit.admit(List.of(batch(values.subList(10, 11)))), "an eleventh, whatever its hash");
        assertNull(limit.admit(List.of(batch(values))));
    }

    @Test
    void aRefusedRequestCountsNothingAndANewWindowStartsAfresh() {
        AdjustableClock clock = new AdjustableClock();
        SeriesLimit limit = new SeriesLimit(3, Duration.ofMinutes(1), clock);

        assertNotNull(limit.admit(List.of(batch(List.of("a", "b")))));
        assertNull(limit.admit(List.of(batch(List.of("c", "d")))));
        assertNotNull(limit.admit(List.of(batch(List.of("c")))), "the refused request took no room");
        assertNull(limit.admit(List.of(batch(List.of("d")))));

        clock.advance(Duration.ofMinutes(1));

        assertNotNull(limit.admit(List.of(batch(List.of("d", "e", "f")))));
    }

    @Test
    void anAdmissionClosedUncommittedGivesItsNewSeriesBackAndACommittedOneKeepsThem() {
        SeriesLimit limit = new SeriesLimit(3, Duration.ofMinutes(1), new AdjustableClock());
        try (SeriesLimit.Admission kept = limit.admit(List.of(batch(List.of("a"))))) {
            kept.commit();
        }

        try (SeriesLimit.Admission refusedLater = limit.admit(List.of(batch(List.of("a", "b", "c"))))) {
            assertNotNull(refusedLater);
        }
        assertNotNull(limit.admit(List.of(batch(List.of("d", "e")))), "b and c were given back; a stays");
        assertNull(limit.admit(List.of(batch(List.of("b")))), "a, d and e fill the cap");
    }

    @Test
    void anAdmissionFromAnEarlierWindowGivesNothingBack() {
        AdjustableClock clock = new AdjustableClock();
        SeriesLimit limit = new SeriesLimit(3, Duration.ofMinutes(1), clock);
        SeriesLimit.Admission lastWindow = limit.admit(List.of(batch(List.of("p"))));

        clock.advance(Duration.ofMinutes(1));
        assertNotNull(limit.admit(List.of(batch(List.of("p", "y", "z")))));
        lastWindow.close();

        assertNull(limit.admit(List.of(batch(List.of("w")))), "p is this window's now, and stays counted");
    }

    @Test
    void theNamespaceTheMetricAndEachDimensionTellSeriesApart() {
        SeriesLimit limit = new SeriesLimit(4, Duration.ofMinutes(1), new AdjustableClock());
        Datum datum = batch(List.of("x")).datums().getFirst();

        assertNotNull(limit.admit(List.of(new PutMetricDataInput("App", List.of(datum)))));
        assertNotNull(limit.admit(List.of(new PutMetricDataInput("Other", List.of(datum)))));
        assertNotNull(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Errors", datum.dimensions(),
                datum.value(), null, null, 0))))));
        assertNotNull(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Latency",
                List.of(new Dimension("Id", "x"), new Dimension("Zone", "a")), datum.value(), null, null, 0))))));
        assertNull(limit.admit(List.of(new PutMetricDataInput("App", List.of(new Datum("Latency",
                List.of(new Dimension("Id", "x"), new Dimension("Zone", "b")), datum.value(), null, null, 0))))));
        assertNotNull(limit.admit(List.of(new PutMetricDataInput("App", List.of(datum)))),
                "a series already counted");
    }
}
