package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.metric.Datum;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler around {@link FlushRun} (whose runs {@code FlushRunTest} covers): scheduled flushes publish
 * without being asked and go on after failures, runs never overlap, and close() waits for a run in progress
 * and then publishes the rest; the ledger balances after each. Nothing asserts how long anything takes: a
 * test waits for what it expects, bounded by its timeout.
 */
@Timeout(60)
class FlusherTest {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final DeliveryStats ledger = new DeliveryStats();
    private final MetricBuffer buffer = new PassThroughBuffer(64L << 20);
    private final BufferSource source = new BufferSource(buffer, ledger);
    private final List<List<Datum>> calls = Collections.synchronizedList(new ArrayList<>());
    private Flusher flusher;

    private Flusher flusher(FlushSource from, Duration interval, ScriptedSink.Script script) {
        flusher = new Flusher(buffer, from, new ScriptedSink(calls, script), ledger, interval, CALL_TIMEOUT,
                Clock.systemUTC());
        return flusher;
    }

    @AfterEach
    void closeFlusher() {
        if (flusher != null) {
            flusher.close(System.nanoTime());
        }
    }

    /** Waits until everything accepted is published (the test's timeout bounds it). */
    private void awaitAllPublished() throws InterruptedException {
        while (ledger.snapshot().published() < ledger.snapshot().accepted()) {
            Thread.sleep(5);
        }
    }

    private void assertBalanced() {
        DeliveryStats.Snapshot snapshot = ledger.snapshot();
        assertEquals(0, snapshot.imbalance(), snapshot.summary());
        assertEquals(0, snapshot.inFlight(), snapshot.summary());
    }

    private static long datumsIn(List<List<Datum>> calls) {
        synchronized (calls) {
            return calls.stream().mapToLong(List::size).sum();
        }
    }

    @Test
    void scheduledFlushesPublishWhatArrivesWithoutBeingAsked() throws Exception {
        flusher(source, Duration.ofMillis(20), (call, chunk) -> MetricSink.Published.ONCE).start();

        source.accept(1500);
        awaitAllPublished();
        source.accept(700);
        awaitAllPublished();

        assertTrue(ledger.snapshot().allDelivered(), ledger.snapshot().summary());
        assertEquals(2200, datumsIn(calls));
        assertTrue(source.runs() >= 2 && ledger.flushes() >= 2, source.runs() + " runs");
        assertFalse(source.overlapped());
    }

    @Test
    void flushPublishesAtOnceWithoutASchedule() {
        flusher(source, Duration.ofHours(1), (call, chunk) -> MetricSink.Published.ONCE);
        source.accept(2500);

        assertEquals(2500, flusher.flush());

        assertEquals(List.of(1000, 1000, 500), calls.stream().map(List::size).toList());
        assertTrue(source.lastClean());
        assertBalanced();
    }

    /** A failing CloudWatch costs delay, never data: the schedule goes on (with backoff) until it answers. */
    @Test
    void scheduledFlushesGoOnAfterFailuresUntilEverythingIsPublished() throws Exception {
        flusher(source, Duration.ofMillis(10), (call, chunk) -> call <= 4
                ? new PublishException("Throttling", PublishException.Kind.TRANSIENT, "Rate exceeded", null)
                : MetricSink.Published.ONCE).start();
        source.accept(2500);

        awaitAllPublished();

        assertTrue(ledger.snapshot().allDelivered(), ledger.snapshot().summary());
        assertTrue(ledger.snapshot().retried() > 0, "the failed calls' points were requeued");
        assertEquals(4, ledger.calls().get("Throttling"));
        assertFalse(source.overlapped());
    }

    /**
     * Something unexpected escaping a run (here the source: sealing a spool segment can fail) must not cancel
     * the schedule, as an exception escaping a scheduled task would.
     */
    @Test
    void aRunThatThrowsDoesNotEndTheSchedule() throws Exception {
        AtomicInteger drains = new AtomicInteger();
        FlushSource failingOnce = new FlushSource() {
            @Override
            public Drained drain() {
                if (drains.incrementAndGet() == 1) {
                    throw new IllegalStateException("cannot seal the spool segment");
                }
                return source.drain();
            }

            @Override
            public void runEnded(boolean clean) {
                source.runEnded(clean);
            }
        };
        flusher(failingOnce, Duration.ofMillis(10), (call, chunk) -> MetricSink.Published.ONCE).start();
        source.accept(300);

        awaitAllPublished();

        assertTrue(drains.get() >= 2);
        assertTrue(ledger.snapshot().allDelivered(), ledger.snapshot().summary());
    }

    /**
     * A slow CloudWatch: close() while a scheduled run waits for its call waits for that run, never starts
     * another beside it, then publishes what came meanwhile in the final flush.
     */
    @Test
    void closeWaitsForARunInProgressThenPublishesTheRest() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        flusher(source, Duration.ofMillis(10), (call, chunk) -> {
            if (call == 1) {
                inCall.countDown();
                release.await();
            }
            return MetricSink.Published.ONCE;
        }).start();
        source.accept(1000);
        inCall.await();
        source.accept(3000); // arrives while the first run is in its call

        AtomicBoolean closed = new AtomicBoolean();
        Thread closing = Thread.ofPlatform().start(() -> {
            flusher.close(System.nanoTime() + Duration.ofSeconds(30).toNanos());
            closed.set(true);
        });
        while (closing.getState() != Thread.State.TIMED_WAITING && closing.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertFalse(closed.get(), "close() returned while a run was in its call");
        release.countDown();
        closing.join();

        assertTrue(ledger.snapshot().allDelivered(), ledger.snapshot().summary());
        assertEquals(4000, datumsIn(calls));
        assertFalse(source.overlapped(), "a run started beside the one in progress");
        flusher = null;
    }

    @Test
    void closeWithTimeLeftPublishesEverythingBufferedInParallelCalls() {
        AtomicInteger inCalls = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch together = new CountDownLatch(2);
        flusher(source, Duration.ofHours(1), (call, chunk) -> {
            most.accumulateAndGet(inCalls.incrementAndGet(), Math::max);
            together.countDown();
            together.await(); // the first two calls wait for each other: the final flush has parallel calls
            inCalls.decrementAndGet();
            return MetricSink.Published.ONCE;
        }).start();
        source.accept(8000);

        flusher.close(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        flusher = null;

        assertTrue(ledger.snapshot().allDelivered(), ledger.snapshot().summary());
        assertTrue(most.get() >= 2 && most.get() <= Flusher.PARALLEL_CALLS, most.get() + " calls at once");
        assertEquals(8000, datumsIn(calls));
    }

    @Test
    void closeAfterTheDeadlineMakesNoCallAndKeepsEverythingBuffered() {
        flusher(source, Duration.ofHours(1), (call, chunk) -> MetricSink.Published.ONCE).start();
        source.accept(1200);

        flusher.close(System.nanoTime() - 1);
        flusher = null;

        assertEquals(0, calls.size());
        assertEquals(1200, ledger.snapshot().buffered());
        assertBalanced();
    }

    /**
     * At shutdown there is no backoff, but no endless retrying either: runs go on while they publish something,
     * and the first run that publishes nothing ends the close, keeping the rest buffered (for the spool).
     */
    @Test
    void closeRetriesWhileRunsPublishAndStopsAtTheFirstThatPublishesNothing() {
        flusher(source, Duration.ofHours(1), (call, chunk) -> call == 1 ? MetricSink.Published.ONCE
                : new PublishException("InternalServiceError", PublishException.Kind.TRANSIENT, "fault", null));
        source.accept(3000);

        flusher.close(System.nanoTime() + Duration.ofSeconds(30).toNanos());
        flusher = null;

        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(1000, after.published(), after.summary());
        assertEquals(2000, after.buffered(), after.summary());
        // The final flush publishes in parallel: the first run may have had its three parts in flight at once.
        assertTrue(calls.size() >= 3, calls.size() + " calls: one that worked, a failure in each of two runs");
        assertBalanced();
    }
}
