package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.buffer.Taken;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where a request becomes accepted: all of spool, buffer and ledger, or none of them. */
@Timeout(30)
class IntakeTest {

    private static final byte[] BODY = "{\"Namespace\":\"I\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final List<PutMetricDataInput> BATCHES = List.of(new PutMetricDataInput("I",
            List.of(new Datum("m", List.of(), new MetricValue.Single(1), null, null, System.currentTimeMillis()))));

    @TempDir
    Path dir;

    private final MetricBuffer buffer = new PassThroughBuffer(64L << 20);
    private final DeliveryStats ledger = new DeliveryStats();

    private Intake intake(Spool spool) {
        return intake(buffer, spool);
    }

    private Intake intake(MetricBuffer buffer, Spool spool) {
        return new Intake(buffer, new SeriesLimit(0, Duration.ofMinutes(1), Clock.systemUTC()), ledger, spool, true);
    }

    @Test
    void anAcceptedRequestIsInTheSpoolTheBufferAndTheLedger() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            assertEquals(Intake.Outcome.ACCEPTED, intake(spool).accept(BATCHES, BODY, BODY.length, false));
        }
        assertEquals(1, ledger.snapshot().accepted());
        assertEquals(1, buffer.drain().next(10).datums().size());
        List<String> replayed = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> replayed.add(batches.getFirst().datums().getFirst().metricName()));
        }
        assertEquals(List.of("m"), replayed);
    }

    @Test
    void aRequestTheSpoolCannotTakeIsNotAcceptedAtAll() throws Exception {
        Spool spool = Spool.open(dir);
        Intake intake = intake(spool);
        spool.close(); // every append fails now, as on a full disk

        assertEquals(Intake.Outcome.SPOOL_FAILED, intake.accept(BATCHES, BODY, BODY.length, false));
        assertEquals(0, ledger.snapshot().accepted());
        assertEquals(null, buffer.drain().next(10), "nothing buffered");
    }

    @Test
    void aClosedIntakeAcceptsNothing() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            Intake intake = intake(spool);
            intake.close();
            assertEquals(Intake.Outcome.CLOSED, intake.accept(BATCHES, BODY, BODY.length, false));
            assertEquals(false, intake.addReplayed(BATCHES));
        }
        assertEquals(0, ledger.snapshot().accepted() + ledger.snapshot().replayed());
        assertEquals(null, buffer.drain().next(10));
    }

    @Test
    void whatIsLeftAtShutdownIsSpooledAndComesBackAtTheNextStart() throws Exception {
        try (Spool spool = Spool.open(dir)) {
            Intake intake = intake(spool);
            intake.accept(BATCHES, BODY, BODY.length, false);
            intake.close();
            intake.spoolWhatIsLeft();
        }
        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(1, after.spooled());
        assertEquals(0, after.buffered() + after.imbalance());
        List<String> replayed = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> replayed.add(batches.getFirst().datums().getFirst().metricName()));
        }
        assertEquals(List.of("m"), replayed, "carried forward once; the request's own record was trimmed");
    }

    /**
     * A flush that put points back ends (its carry-forward drains the buffer and writes it again, part by
     * part) while shutdown spools what is left: shutdown waits for the carry, the carry makes way, and every
     * point is in the spool once, none in a segment that was deleted before its points were written again.
     */
    @Test
    void aLateCarryRacingShutdownLosesNoPoint() throws Exception {
        CountDownLatch carryHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Spool spool = Spool.open(dir);
        Intake intake = intake(holdingTheFirstRequeue(carryHeld, release), spool);
        List<String> names = new ArrayList<>();
        for (int request = 0; request < 5; request++) { // 2500 points: a carry writes them in three parts
            List<String> some = names("r" + request + "-", 500);
            assertEquals(Intake.Outcome.ACCEPTED, accept(intake, some));
            names.addAll(some);
        }
        // A flush drains everything, publishes nothing and puts it all back (CloudWatch failed).
        Drained drained = intake.drain();
        drained.putBack();

        Thread flusher = Thread.ofPlatform().name("late-flush").start(() -> intake.runEnded(false));
        assertTrue(carryHeld.await(10, TimeUnit.SECONDS), "the carry wrote its first part");
        Thread shutdown = Thread.ofPlatform().name("shutdown").start(() -> {
            intake.close();
            intake.spoolWhatIsLeft();
            spool.close(); // then the process exits: a carry still going would write nothing more
        });
        while (shutdown.isAlive() && !intake.spoolAwaited()) {
            Thread.sleep(1);
        }
        release.countDown();
        flusher.join();
        shutdown.join();

        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(2500, after.spooled(), after.summary());
        assertEquals(0, after.buffered() + after.inFlight() + after.imbalance(), after.summary());
        assertEquals(names.stream().sorted().toList(), replayedNames(), "every point in the spool, once");
    }

    /**
     * With DURABILITY=disk, a call still in flight at shutdown holds points only the older segments have:
     * shutdown keeps every segment, and the run that ends after it deletes none either.
     */
    @Test
    void aCallStillInFlightAtShutdownKeepsEverySegment() throws Exception {
        List<String> inFlight = names("in-flight-", 10);
        List<String> buffered = names("buffered-", 10);
        try (Spool spool = Spool.open(dir)) {
            Intake intake = intake(spool);
            assertEquals(Intake.Outcome.ACCEPTED, accept(intake, inFlight));
            Drained drained = intake.drain();
            Taken call = drained.next(1000);
            ledger.handedOut(10); // a call with these 10 points is under way
            assertEquals(Intake.Outcome.ACCEPTED, accept(intake, buffered));

            intake.close();
            intake.spoolWhatIsLeft();
            // The call succeeds after all, too late: its run ends, clean, and must leave the spool alone.
            ledger.published(10);
            drained.settled(call);
            intake.runEnded(true);
        }
        DeliveryStats.Snapshot after = ledger.snapshot();
        assertEquals(10, after.spooled(), after.summary());
        assertEquals(0, after.buffered() + after.imbalance(), after.summary());
        List<String> all = new ArrayList<>(inFlight);
        all.addAll(buffered);
        assertEquals(all.stream().sorted().toList(), replayedNames(),
                "the published call's points may come again; none may be missing");
    }

    /** A flush that ends after the intake closed, clean or not, deletes nothing from the spool and writes nothing. */
    @Test
    void aFlushThatEndsAfterCloseLeavesTheSpoolToShutdown() throws Exception {
        List<String> names = names("m", 10);
        try (Spool spool = Spool.open(dir)) {
            Intake intake = intake(spool);
            assertEquals(Intake.Outcome.ACCEPTED, accept(intake, names));
            intake.drain().putBack(); // a flush that published nothing; its segment is sealed
            intake.close();
            List<Path> before = files();
            intake.runEnded(true); // no trim: the sealed segment is all that holds the points
            intake.runEnded(false); // no carry: shutdown carries what is left, once
            assertEquals(before, files());
            assertEquals(10, ledger.snapshot().buffered());
        }
        assertEquals(names.stream().sorted().toList(), replayedNames());
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    /** Accepts one request with a datum of one value per name, its body read by the gateway's own reader. */
    private static Intake.Outcome accept(Intake intake, List<String> names) throws InvalidInputException {
        StringBuilder json = new StringBuilder("{\"Namespace\":\"I\",\"MetricData\":[");
        for (int i = 0; i < names.size(); i++) {
            json.append(i == 0 ? "" : ",").append("{\"MetricName\":\"").append(names.get(i)).append("\",\"Value\":1}");
        }
        byte[] body = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        PutMetricDataInput batch = new PutMetricDataReader(Clock.systemUTC()).readInput(body, body.length);
        return intake.accept(List.of(batch), body, body.length, false);
    }

    /** The metric names the spool in {@code dir} gives back at the next start, sorted. */
    private List<String> replayedNames() throws Exception {
        List<String> names = new ArrayList<>();
        try (Spool spool = Spool.open(dir)) {
            spool.replay(batches -> {
                batches.forEach(batch -> batch.datums().forEach(datum -> names.add(datum.metricName())));
                return true;
            });
        }
        return names.stream().sorted().toList();
    }

    /**
     * The test's buffer, whose first {@code requeue} (a carry-forward's, after writing its first part) waits
     * for {@code release}, having said so on {@code held}.
     */
    private MetricBuffer holdingTheFirstRequeue(CountDownLatch held, CountDownLatch release) {
        AtomicBoolean first = new AtomicBoolean(true);
        return (MetricBuffer) Proxy.newProxyInstance(MetricBuffer.class.getClassLoader(),
                new Class<?>[] {MetricBuffer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("requeue") && first.getAndSet(false)) {
                        held.countDown();
                        assertTrue(release.await(10, TimeUnit.SECONDS), "never released");
                    }
                    try {
                        return method.invoke(buffer, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
