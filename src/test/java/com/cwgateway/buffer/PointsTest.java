package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.publish.DeliveryStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ledger counts points (values clients sent), and the buffer keeps them exactly through merging, handing
 * out and putting back, whatever the counts: sample counts of 1.17e108 and 0.1, which a sum of doubles
 * cannot keep, move the ledger by exactly the points sent.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PointsTest {

    private static final long MINUTE = 1_764_590_400_000L;

    @Test
    void aTableOfCountsOfOneKeepsNoPointsAndTheFirstOtherCountAddsThem() {
        ValueCounts table = new ValueCounts();
        for (int i = 0; i < 20; i++) {
            table.add(i % 7, 1, 1);
        }
        assertFalse(table.keepsPoints(), "single values: the counts are the points");
        table.add(3, 0.25, 1);
        table.add(100, 1e108, 1);
        assertTrue(table.keepsPoints());
        for (int i = 0; i < 40; i++) { // grows the table with its points
            table.add(1000 + i, 1, 1);
        }
        table.sortInPlace();
        long total = 0;
        for (int i = 0; i < table.size(); i++) {
            total += table.pointsAt(i);
            if (table.valueAt(i) == 3) {
                assertEquals(4, table.pointsAt(i), "three points of 1 and one of 0.25");
            }
        }
        assertEquals(20 + 2 + 40, total);
    }

    @ParameterizedTest(name = "aggregation {0}")
    @ValueSource(booleans = {true, false})
    void countsNoDoubleCanSumKeepTheLedgerExactThroughPutBackAndRequeue(boolean aggregation) {
        MetricBuffer buffer = aggregation ? new AggregatingBuffer(1L << 30) : new PassThroughBuffer(1L << 30);
        DeliveryStats ledger = new DeliveryStats();
        List<Datum> datums = List.of(
                datum("m", new MetricValue.Distribution(new double[] {5, 6, 7}, new double[] {1.174271e108, 0.1, 0.2})),
                datum("m", new MetricValue.Single(5)),
                datum("m", new MetricValue.Distribution(new double[] {6, 8}, new double[] {0.2, 1})),
                datum("m", new MetricValue.Statistics(0.3, 1, 0.5, 0.5)),
                datum("m", new MetricValue.Statistics(1e100, 1, 0.5, 0.5)),
                datum("n", new MetricValue.Single(1)));
        long sent = Datum.points(datums);
        assertEquals(3 + 1 + 2 + 1 + 1 + 1, sent);

        assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("ns", datums))));
        ledger.accepted(sent);
        assertEquals(sent, buffer.points());

        // One datum a part: the first is requeued (a failed call), the rest put back (a stopped flush).
        Drained drained = buffer.drain();
        Taken first = drained.next(1);
        ledger.handedOut(first.points());
        buffer.requeue(first.namespace(), first.datums());
        ledger.requeued(first.points());
        drained.settled(first);
        drained.putBack();
        assertEquals(sent, buffer.points(), "requeued and put back, nothing gained or lost");

        // Then everything is published, a datum at a time, or one datum dropped.
        List<Datum> published = new ArrayList<>();
        Drained again = buffer.drain();
        for (Taken part = again.next(1); part != null; part = again.next(1)) {
            ledger.handedOut(part.points());
            if (published.isEmpty() && part.points() > 1) {
                ledger.dropped(DeliveryStats.DropReason.REJECTED, part.points());
            } else {
                ledger.published(part.points());
                published.addAll(part.datums());
            }
            again.settled(part);
        }
        DeliveryStats.Snapshot end = ledger.snapshot();
        assertEquals(0, end.imbalance(), end.summary());
        assertEquals(0, buffer.points());
        assertEquals(sent, end.published() + end.allDropped(), end.summary());
        assertEquals(Datum.points(published), end.published());
    }

    @Test
    void aRequeuedDatumKeepsThePointsMergedIntoIt() {
        AggregatingBuffer buffer = new AggregatingBuffer(1L << 30);
        List<Datum> datums = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            datums.add(datum("m", new MetricValue.Single(i % 2))); // 10 points, 2 distinct values
        }
        datums.add(datum("m", new MetricValue.Distribution(new double[] {0}, new double[] {2.5}))); // 1 point
        assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("ns", datums))));

        Drained drained = buffer.drain();
        Taken taken = drained.next(10);
        assertEquals(11, taken.points());
        assertEquals(1, taken.datums().size(), "one datum of 2 distinct values");
        buffer.requeue(taken.namespace(), taken.datums());
        drained.settled(taken);
        drained.putBack();

        Drained again = buffer.drain();
        Taken back = again.next(10);
        assertEquals(11, back.points(), "the 11 points of the requeued datum");
        again.settled(back);
        assertEquals(0, buffer.points());
    }

    private static Datum datum(String name, MetricValue value) {
        return new Datum(name, List.of(new Dimension("host", "a")), value, null, null, MINUTE);
    }
}
