package com.cwgateway.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one walk over a datum: every field present, in CloudWatch's order, and nothing absent; and its points. */
class DatumTest {

    /** Writes each field it receives as a line, for comparing walks. */
    private static final class Recorder implements DatumFields<RuntimeException> {
        final List<String> fields = new ArrayList<>();

        @Override
        public void metricName(String name) {
            fields.add("MetricName " + name);
        }

        @Override
        public void dimensions(List<Dimension> dimensions) {
            fields.add("Dimensions " + dimensions);
        }

        @Override
        public void value(double value) {
            fields.add("Value " + value);
        }

        @Override
        public void values(double[] values, double[] counts) {
            fields.add("Values " + Arrays.toString(values) + " Counts " + Arrays.toString(counts));
        }

        @Override
        public void statistics(MetricValue.Statistics statistics) {
            fields.add("StatisticValues " + statistics);
        }

        @Override
        public void unit(String unit) {
            fields.add("Unit " + unit);
        }

        @Override
        public void storageResolution(int resolution) {
            fields.add("StorageResolution " + resolution);
        }

        @Override
        public void timestamp(long epochMillis) {
            fields.add("Timestamp " + epochMillis);
        }
    }

    private static List<String> walk(Datum datum) {
        Recorder recorder = new Recorder();
        datum.walk(recorder);
        return recorder.fields;
    }

    @Test
    void aDatumWithEveryFieldIsWalkedInCloudWatchsOrder() {
        Datum datum = new Datum("Latency", List.of(new Dimension("Host", "a")), new MetricValue.Single(2.5),
                "Milliseconds", 1, 1_000);

        assertEquals(List.of("MetricName Latency", "Dimensions [Dimension[name=Host, value=a]]", "Value 2.5",
                "Unit Milliseconds", "StorageResolution 1", "Timestamp 1000"), walk(datum));
    }

    @Test
    void fieldsTheClientLeftOutAreNotWalked() {
        Datum datum = new Datum("Hits", List.of(), new MetricValue.Single(1), null, null, 7);

        assertEquals(List.of("MetricName Hits", "Value 1.0", "Timestamp 7"), walk(datum));
    }

    @Test
    void eachFormOfValueIsWalkedAsItself() {
        Datum distribution = new Datum("D", List.of(), new MetricValue.Distribution(new double[] {1, 2},
                new double[] {3, 4}), null, null, 0);
        Datum withoutCounts = new Datum("D", List.of(), new MetricValue.Distribution(new double[] {1}, null),
                null, null, 0);
        MetricValue.Statistics set = new MetricValue.Statistics(2, 3, 1, 2);
        Datum statistics = new Datum("S", List.of(), set, null, null, 0);

        assertEquals("Values [1.0, 2.0] Counts [3.0, 4.0]", walk(distribution).get(1));
        assertEquals("Values [1.0] Counts null", walk(withoutCounts).get(1));
        assertEquals("StatisticValues " + set, walk(statistics).get(1));
    }

    @Test
    void aClientDatumCarriesOnePointAValueAndAStatisticSetIsOne() {
        assertEquals(1, Datum.pointsOf(new MetricValue.Single(5)));
        assertEquals(3, Datum.pointsOf(new MetricValue.Distribution(new double[] {1, 2, 3}, new double[] {9, 9, 9})));
        assertEquals(1, Datum.pointsOf(new MetricValue.Statistics(100, 5, 0, 1)));
        Datum merged = new Datum("M", List.of(), new MetricValue.Single(1), null, null, 0, 40);
        assertEquals(41, Datum.points(List.of(merged, new Datum("N", List.of(), new MetricValue.Single(1), null,
                null, 0))));
    }
}
