package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.buffer.PassThroughBuffer;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where a request becomes accepted: all of spool, buffer and ledger, or none of them. */
@Timeout(30)
class IntakeTest {

    private static final byte[] BODY = "{\"Namespace\":\"I\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":1}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final List<MetricBatch> BATCHES = List.of(new MetricBatch("I",
            List.of(new Datum("m", List.of(), new MetricValue.Single(1), null, null, System.currentTimeMillis()))));

    @TempDir
    Path dir;

    private final MetricBuffer buffer = new PassThroughBuffer(64L << 20);
    private final DeliveryStats ledger = new DeliveryStats();

    private Intake intake(Spool spool) {
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
}
