package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.metric.Datum;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One flush run against a scripted sink: every point is settled once, and the ledger balances after each. */
@Timeout(30)
class FlushRunTest {

    private final DeliveryStats ledger = new DeliveryStats();
    private final MetricBuffer buffer = new PassThroughBuffer(64L << 20);
    private final BufferSource source = new BufferSource(buffer, ledger);
    private final Deadline deadline = new Deadline();
    private final List<List<Datum>> calls = new ArrayList<>();

    /** Calls the sink answers: given the call's number and its chunk, a result or an exception to throw. */
    private interface Script extends ScriptedSink.Script {}

    private int run(Script script) {
        int published = new FlushRun(buffer, new ScriptedSink(calls, script), ledger,
                new RetryBackoff(Duration.ofSeconds(1)), Duration.ofSeconds(5), Clock.systemUTC(), deadline)
                .publish(source, 1);
        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(0, after.imbalance(), after.summary());
        assertEquals(0, after.inFlight(), after.summary());
        return published;
    }

    private void accept(int datums) {
        source.accept(datums);
    }

    private static PublishException rejected(String message, int datums) {
        return PublishException.rejected("InvalidParameterValue", message, null, datums, false);
    }

    @Test
    void aCleanRunPublishesEverythingInChunksOf1000AndSaysSo() {
        accept(2500);
        assertEquals(2500, run((call, chunk) -> MetricSink.Published.ONCE));
        assertEquals(List.of(1000, 1000, 500), calls.stream().map(List::size).toList());
        assertTrue(source.lastClean());
        assertTrue(ledger.snapshot().allDelivered());
    }

    @Test
    void aTransientFailureStopsTheRunAndPutsEverythingUnpublishedBack() {
        accept(3000);
        run((call, chunk) -> call == 2
                ? new PublishException("Throttling", PublishException.Kind.TRANSIENT, "slow down", null)
                : MetricSink.Published.ONCE);
        assertEquals(2, calls.size(), "no call after the failure");
        assertFalse(source.lastClean());
        assertEquals(1000, ledger.snapshot().published());
        assertEquals(2000, ledger.snapshot().buffered());
        assertEquals(2000, buffer.drain().next(Integer.MAX_VALUE).datums().size());
    }

    @Test
    void aPassedDeadlineMakesNoCallAndPutsEverythingBack() {
        accept(1500);
        deadline.set(System.nanoTime());
        assertEquals(0, run((call, chunk) -> MetricSink.Published.ONCE));
        assertEquals(0, calls.size());
        assertEquals(1500, ledger.snapshot().buffered());
        assertFalse(source.lastClean());
    }

    @Test
    void theDatumCloudWatchNamesIsDroppedAloneAndTheRestSentAgainInOneCall() {
        accept(1000);
        run((call, chunk) -> call == 1
                ? rejected("The value NaN for parameter MetricData.member.638.Value is invalid.", chunk.size())
                : MetricSink.Published.ONCE);
        assertEquals(2, calls.size());
        assertEquals("m637", calls.get(0).get(637).metricName());
        assertFalse(calls.get(1).stream().anyMatch(datum -> datum.metricName().equals("m637")));
        assertEquals(999, ledger.snapshot().published());
        assertEquals(1, ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED));
    }

    @Test
    void aPoisonDatumNobodyNamesIsFoundByHalving() {
        accept(1000);
        run((call, chunk) -> chunk.stream().anyMatch(datum -> datum.metricName().equals("m400"))
                ? rejected("something is wrong", chunk.size()) : MetricSink.Published.ONCE);
        assertTrue(calls.size() <= 21, calls.size() + " calls");
        assertEquals(999, ledger.snapshot().published());
        assertEquals(1, ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED));
    }

    @Test
    void aRefusalOfEveryCallIsBoundedByTheCallBudgetAndDropsOnlyWhatWasRefusedAlone() {
        accept(5000);
        run((call, chunk) -> rejected("something is wrong", chunk.size()));
        assertTrue(calls.size() <= 5 + PoisonIsolation.CALL_BUDGET, calls.size() + " calls");
        long dropped = ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED);
        assertTrue(dropped > 0 && dropped < 5000, dropped + " dropped");
        assertEquals(5000 - dropped, ledger.snapshot().buffered(), "the unsearched rest waits for the next flush");
        assertFalse(source.lastClean());
        long droppedAlone = calls.stream().filter(chunk -> chunk.size() == 1).count();
        assertEquals(droppedAlone, dropped, "each dropped datum was refused in a call of its own");
    }

    @Test
    void goodDatumsBesidePoisonDatumsAreKeptUntilLaterFlushesFindThem() {
        accept(5000);
        // 20 poison datums: more than one flush's calls can find.
        Script poison = (call, chunk) -> chunk.stream()
                .anyMatch(datum -> Integer.parseInt(datum.metricName().substring(1)) % 250 == 7)
                ? rejected("something is wrong", chunk.size()) : MetricSink.Published.ONCE;
        int flushes = 0;
        while (ledger.snapshot().buffered() > 0 && flushes < 100) {
            calls.clear();
            run(poison);
            flushes++;
            assertTrue(calls.size() <= 5 + PoisonIsolation.CALL_BUDGET, calls.size() + " calls");
        }
        assertTrue(flushes > 1, "one flush found them all: the test does not reach its point");
        assertEquals(0, ledger.snapshot().buffered());
        assertEquals(4980, ledger.snapshot().published());
        assertEquals(20, ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED));
    }

    @Test
    void aFlushThatSpentItsIsolationCallsPutsARefusedChunkBackInsteadOfDroppingIt() {
        accept(3000);
        // Every chunk but the single datums holds poison: the budget runs out inside the first chunk.
        run((call, chunk) -> chunk.size() > 1 || chunk.getFirst().metricName().equals("m0")
                ? rejected("something is wrong", chunk.size()) : MetricSink.Published.ONCE);
        assertEquals(1, ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED), "only m0, refused alone");
        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(3000, after.published() + after.buffered() + 1, after.summary());
        assertTrue(after.buffered() >= 2000, after.summary());
    }

    @Test
    void aRefusalOfTheWholeRequestIsNotMistakenForAPoisonDatum() {
        accept(1000);
        run((call, chunk) -> rejected("The value AWS/ for parameter Namespace is invalid.", chunk.size()));
        assertEquals(1, calls.size());
        assertEquals(1000, ledger.snapshot().dropped().get(DeliveryStats.DropReason.REJECTED));
    }

    @Test
    void unansweredAttemptsAreCountedAsPossiblyDuplicatedWhetherTheCallSucceedsOrNot() {
        accept(1000);
        AtomicBoolean first = new AtomicBoolean(true);
        run((call, chunk) -> first.getAndSet(false) ? new MetricSink.Published(2) : MetricSink.Published.ONCE);
        assertEquals(2000, ledger.snapshot().possiblyDuplicated());

        accept(10);
        run((call, chunk) -> PublishException.unknownOutcome("Timeout", "no answer", null, 1));
        assertEquals(2010, ledger.snapshot().possiblyDuplicated());
        assertEquals(10, ledger.snapshot().buffered(), "sent again later");
    }
}
