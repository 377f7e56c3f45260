package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The buffer with aggregation off: every datum comes out as it was sent (the same object, nothing merged), in
 * arrival order within its namespace, and the budget counts exactly what the queues hold.
 */
@Timeout(60)
class PassThroughBufferTest {

    private static final long MINUTE = 1_772_366_400_000L;
    /** What one queued datum with a plain {@code Value} holds, its strings apart. */
    private static final long SINGLE_HELD = HeapEstimate.QUEUED_DATUM + HeapEstimate.SINGLE;

    private static Datum single(String name, double value) {
        return new Datum(name, List.of(), new MetricValue.Single(value), null, null, MINUTE + 1_234);
    }

    private static List<PutMetricDataInput> request(String namespace, Datum... datums) {
        return List.of(new PutMetricDataInput(namespace, List.of(datums)));
    }

    @Test
    void everyDatumComesOutAsSentInArrivalOrderPerNamespace() {
        PassThroughBuffer buffer = new PassThroughBuffer(1L << 20);
        Datum a1 = single("m", 1);
        Datum a2 = single("m", 1); // the same point again: not merged
        Datum a3 = new Datum("m", List.of(new Dimension("host", "h")),
                new MetricValue.Distribution(new double[] {3, 1}, new double[] {2, 5}), "Count", 1, MINUTE + 999);
        Datum b1 = new Datum("n", List.of(), new MetricValue.Statistics(2, 3, 1, 2), null, 60, MINUTE - 1);
        assertTrue(buffer.tryAdd(List.of(new PutMetricDataInput("A", List.of(a1)), new PutMetricDataInput("B", List.of(b1)))));
        assertTrue(buffer.tryAdd(request("A", a2, a3)));
        assertEquals(1 + 1 + 2 + 1, buffer.points());

        Drained drained = buffer.drain();
        List<Taken> parts = new ArrayList<>();
        for (Taken part = drained.next(1000); part != null; part = drained.next(1000)) {
            parts.add(part);
        }

        List<Datum> fromA = parts.stream().filter(p -> p.namespace().equals("A")).findFirst().orElseThrow().datums();
        List<Datum> fromB = parts.stream().filter(p -> p.namespace().equals("B")).findFirst().orElseThrow().datums();
        assertEquals(2, parts.size());
        assertEquals(3, fromA.size());
        assertSame(a1, fromA.get(0));
        assertSame(a2, fromA.get(1));
        assertSame(a3, fromA.get(2));
        assertSame(b1, fromB.getFirst());
    }

    @Test
    void theBudgetCountsTheQueuedDatumsTheirValuesAndEachStringOnce() {
        PassThroughBuffer buffer = new PassThroughBuffer(1L << 20);
        long namespace = HeapEstimate.NAMESPACE + HeapEstimate.string("A") + HeapEstimate.mapTable(1);

        assertTrue(buffer.tryAdd(request("A", single("m", 1))));
        assertEquals(namespace + SINGLE_HELD + HeapEstimate.string("m"), buffer.bytes());

        MetricValue.Distribution values = new MetricValue.Distribution(new double[] {1, 2, 3}, null);
        assertTrue(buffer.tryAdd(request("A", single("m", 2), new Datum("m", List.of(), values, null, null, MINUTE))));
        assertEquals(namespace + HeapEstimate.string("m") + 2 * SINGLE_HELD + HeapEstimate.QUEUED_DATUM
                + HeapEstimate.value(values), buffer.bytes(), "the name is held once; a distribution by its arrays");
        assertEquals(1L << 20, buffer.maxBytes());
    }

    @Test
    void aReservationHoldsRoomUntilCommittedOrClosed() {
        PassThroughBuffer buffer = new PassThroughBuffer(1L << 20);
        List<PutMetricDataInput> request = request("A", single("m", 1));

        MetricBuffer.Reservation closed = buffer.reserve(request);
        assertTrue(buffer.bytes() > 0, "reserved");
        closed.close();
        assertEquals(0, buffer.bytes());
        assertEquals(0, buffer.points());

        MetricBuffer.Reservation committed = buffer.reserve(request);
        committed.commit();
        long held = buffer.bytes();
        committed.close();
        assertEquals(held, buffer.bytes(), "closing a committed reservation gives nothing back");
        assertThrows(IllegalStateException.class, committed::commit);
        assertEquals(1, buffer.points());
    }

    @Test
    void aRequestThatDoesNotFitIsRefusedWholeWhileRequeuedDataIsAlwaysTaken() {
        PassThroughBuffer probe = new PassThroughBuffer(1L << 20);
        assertTrue(probe.tryAdd(request("A", single("m", 1), single("m", 2))));
        PassThroughBuffer buffer = new PassThroughBuffer(probe.bytes() + SINGLE_HELD - 1);
        assertTrue(buffer.tryAdd(request("A", single("m", 1), single("m", 2))));

        assertNull(buffer.reserve(request("A", single("m", 3))), "one datum more does not fit");
        assertEquals(probe.bytes(), buffer.bytes(), "a refused request leaves nothing counted");
        assertEquals(2, buffer.points());

        buffer.requeue("A", List.of(single("m", 4), single("m", 5)));
        assertTrue(buffer.bytes() > buffer.maxBytes(), "data coming back is never dropped");
        assertEquals(4, buffer.points());
    }

    @Test
    void partsLeaveTheBudgetWhenSettledAndRequeuedDatumsComeBackAsTheyWere() {
        PassThroughBuffer buffer = new PassThroughBuffer(1L << 20);
        Datum merged = new Datum("m", List.of(), new MetricValue.Distribution(new double[] {1}, new double[] {7}),
                null, null, MINUTE, 7); // a datum that carries 7 points
        assertTrue(buffer.tryAdd(request("A", single("m", 1), single("m", 2))));
        buffer.requeue("A", List.of(merged));
        long held = buffer.bytes();

        Drained drained = buffer.drain();
        Taken first = drained.next(2);
        assertEquals(2 * SINGLE_HELD, first.bytes());
        assertEquals(2, first.points());
        drained.settled(first);
        assertEquals(held - 2 * SINGLE_HELD, buffer.bytes(), "the part's datums left; the strings stay");
        assertEquals(7, buffer.points());

        Taken second = drained.next(2);
        assertSame(merged, second.datums().getFirst());
        assertNull(drained.next(2));
        buffer.requeue(second.namespace(), second.datums());
        drained.settled(second);

        Taken again = buffer.drain().next(10);
        assertSame(merged, again.datums().getFirst(), "the very datum, with its 7 points");
        assertEquals(7, again.points());
    }

    /**
     * Concurrent requests cannot together pass the budget, and leave no reservation counted: once they are done,
     * the room left takes exactly as many requests as it should.
     */
    @Test
    void concurrentRequestsNeverPassTheBudgetAndLeaveNoReservationBehind() throws Exception {
        PassThroughBuffer probe = new PassThroughBuffer(1L << 20);
        Datum datum = single("m", 1);
        assertTrue(probe.tryAdd(request("A", datum)));
        long first = probe.bytes();
        long request = 5 * SINGLE_HELD;
        PassThroughBuffer buffer = new PassThroughBuffer(first + 100 * request + request / 2);
        assertTrue(buffer.tryAdd(request("A", datum)));
        AtomicInteger accepted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 8; client++) {
            clients.add(Thread.ofPlatform().start(() -> {
                await(start);
                for (int i = 0; i < 20; i++) {
                    if (buffer.tryAdd(request("A", datum, datum, datum, datum, datum))) {
                        accepted.incrementAndGet();
                    }
                }
            }));
        }
        start.countDown();
        for (Thread client : clients) {
            client.join();
        }
        int concurrently = accepted.get();
        while (buffer.tryAdd(request("A", datum, datum, datum, datum, datum))) {
            accepted.incrementAndGet();
        }

        assertTrue(concurrently > 0 && concurrently <= 100, concurrently + " accepted concurrently");
        assertEquals(100, accepted.get(), "room for a hundred requests of five datums, no more, no less");
        assertEquals(first + 100 * request, buffer.bytes());
        assertEquals(1 + 500, buffer.points());
    }

    /** Clients add while a flusher drains and publishes everything, again and again: each datum once, in order. */
    @Test
    void concurrentAddsAndDrainsKeepEveryClientsOrder() throws Exception {
        PassThroughBuffer buffer = new PassThroughBuffer(1L << 30);
        int clients = 4;
        int requests = 2_000;
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            String namespace = "client-" + client;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < requests; i++) {
                    assertTrue(buffer.tryAdd(request(namespace, single("seq", 2 * i), single("seq", 2 * i + 1))));
                }
            }));
        }
        ConcurrentHashMap<String, List<Double>> published = new ConcurrentHashMap<>();
        int drains = 0;
        boolean last = false;
        while (!last) {
            last = threads.stream().noneMatch(Thread::isAlive);
            Drained drained = buffer.drain();
            drains++;
            for (Taken part = drained.next(7); part != null; part = drained.next(7)) {
                List<Double> sequence = published.computeIfAbsent(part.namespace(), key -> new ArrayList<>());
                part.datums().forEach(d -> sequence.add(((MetricValue.Single) d.value()).value()));
                drained.settled(part);
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertTrue(drains > 1, drains + " drains");
        assertEquals(clients, published.size());
        for (List<Double> sequence : published.values()) {
            assertEquals(2 * requests, sequence.size());
            for (int i = 0; i < sequence.size(); i++) {
                assertEquals(i, sequence.get(i), "each datum once, in the order sent");
            }
        }
        assertEquals(0, buffer.bytes(), "nothing left counted");
        assertEquals(0, buffer.points());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
