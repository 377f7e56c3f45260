package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DeliveryStatsTest {

    /** Writers move points through every path at once while a reader checks the equation at every snapshot. */
    @Test
    void theLedgerBalancesAtEveryMomentUnderConcurrentMoves() throws Exception {
        DeliveryStats ledger = new DeliveryStats();
        AtomicBoolean done = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            writers.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 200_000; i++) {
                    long points = 1 + random.nextInt(100);
                    if (random.nextBoolean()) {
                        ledger.accepted(points);
                    } else {
                        ledger.replayed(points);
                    }
                    ledger.handedOut(points);
                    switch (random.nextInt(5)) {
                        case 0 -> ledger.published(points);
                        case 1 -> ledger.dropped(DeliveryStats.DropReason.REJECTED, points);
                        case 2 -> ledger.spooled(points);
                        case 3 -> {
                            ledger.requeued(points);
                            ledger.handedOut(points);
                            ledger.published(points);
                        }
                        default -> ledger.requeued(points); // stays buffered
                    }
                }
            }));
        }
        int snapshots = 0;
        Thread reader = Thread.currentThread();
        while (writers.stream().anyMatch(Thread::isAlive)) {
            DeliveryStats.Snapshot snapshot = ledger.snapshot();
            assertEquals(0, snapshot.imbalance(), snapshot.summary());
            snapshots++;
        }
        for (Thread writer : writers) {
            writer.join();
        }
        DeliveryStats.Snapshot end = ledger.snapshot();
        assertEquals(0, end.imbalance(), end.summary());
        assertEquals(0, end.inFlight());
        assertTrue(end.buffered() > 0 && snapshots > 0, reader.getName());
        assertFalse(end.allDelivered());
    }

    @Test
    void deliveredIsClaimedOnlyWhenEveryPointWasPublished() {
        DeliveryStats ledger = new DeliveryStats();
        ledger.accepted(10);
        ledger.handedOut(10);
        ledger.published(10);
        assertTrue(ledger.snapshot().allDelivered());
        assertEquals("of 10 points accepted and 0 replayed: 10 published", ledger.snapshot().outcome());

        ledger.accepted(3);
        ledger.handedOut(3);
        ledger.dropped(DeliveryStats.DropReason.REJECTED, 1);
        ledger.spooled(2);
        ledger.possiblyDuplicated(10);
        DeliveryStats.Snapshot snapshot = ledger.snapshot();
        assertFalse(snapshot.allDelivered());
        assertEquals("of 13 points accepted and 0 replayed: 10 published, 2 written to the spool for the next start, "
                + "1 dropped (rejected by CloudWatch: 1); 10 were sent in calls whose outcome is unknown and may be "
                + "recorded twice", snapshot.outcome());

        ledger.accepted(5);
        assertEquals("of 18 points accepted and 0 replayed: 10 published, 2 written to the spool for the next start, "
                + "1 dropped (rejected by CloudWatch: 1), 5 neither published nor spooled: lost; 10 were sent in calls "
                + "whose outcome is unknown and may be recorded twice", ledger.snapshot().outcome());

        ledger.handedOut(4); // a call that outlives the shutdown deadline: with DURABILITY=disk the spool keeps it
        assertEquals("of 18 points accepted and 0 replayed: 10 published, 2 written to the spool for the next start, "
                + "1 dropped (rejected by CloudWatch: 1), 4 in a call that did not end by the shutdown deadline: kept "
                + "in the spool, published again at the next start (possibly twice), 1 neither published nor spooled: "
                + "lost; 10 were sent in calls whose outcome is unknown and may be recorded twice",
                ledger.snapshot().outcome(true));
        assertTrue(ledger.snapshot().outcome(false).contains("5 neither published nor spooled: lost"));
    }
}
