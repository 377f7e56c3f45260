package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.buffer.AggregatingBuffer;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.ingest.IngestService.Outcome;
import com.cwgateway.ingest.IngestService.Shape;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every outcome of {@link IngestService#ingest}, on the classes the gateway wires (reader, namespace policy,
 * intake over an aggregating buffer, series cap, ledger, and a spool as with {@code DURABILITY=disk}): an
 * accepted request is in the buffer, the ledger and the spool; a request that is not accepted is in none of them.
 */
@Timeout(30)
class IngestServiceTest {

    /** Three datums, five points: a Value, three Values, a StatisticValues. */
    private static final String APP = """
            {"Namespace":"App","MetricData":[
             {"MetricName":"a","Value":1},
             {"MetricName":"b","Values":[1,2,3]},
             {"MetricName":"c","StatisticValues":{"SampleCount":2,"Sum":3,"Minimum":1,"Maximum":2}}]}""";

    private static final int MAX_SERIES = 10;

    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();
    private final DeliveryStats ledger = new DeliveryStats();
    private final SeriesLimit series = new SeriesLimit(MAX_SERIES, Duration.ofMinutes(1), clock);
    private MetricBuffer buffer = new AggregatingBuffer(64L << 20);
    private Spool spool;
    private Intake intake;

    @AfterEach
    void closeSpool() throws Exception {
        if (spool != null) {
            spool.close();
        }
    }

    /** The service as {@code Gateway.start} builds it, with {@code DURABILITY=disk}. */
    private IngestService service(String... allowedNamespaces) throws Exception {
        spool = Spool.open(dir);
        intake = new Intake(buffer, series, ledger, spool, true);
        return new IngestService(new PutMetricDataReader(clock), new NamespacePolicy(List.of(allowedNamespaces)), intake);
    }

    private static Outcome ingest(IngestService service, String json, Shape shape, NamespacePolicy tokenScope) {
        byte[] body = (json + "  trailing bytes past the length are not read").getBytes(StandardCharsets.UTF_8);
        return service.ingest(body, json.getBytes(StandardCharsets.UTF_8).length, shape, tokenScope);
    }

    @Test
    void aSingleInputIsAcceptedWithItsDatumCount() throws Exception {
        Outcome outcome = ingest(service(), APP, Shape.SINGLE, null);

        assertEquals(new Outcome.Accepted(3), outcome);
        assertEquals(5, ledger.snapshot().accepted(), "the ledger counts points");
        assertEquals(5, buffer.points());
        assertTrue(spool.waiting().bytes() > APP.length(), "the body is in the spool");
    }

    @Test
    void aBatchIsAcceptedWithTheDatumsOfAllItsInputs() throws Exception {
        String other = "{\"Namespace\":\"Other\",\"MetricData\":[{\"MetricName\":\"x\",\"Value\":7},"
                + "{\"MetricName\":\"y\",\"Value\":8}]}";

        Outcome outcome = ingest(service(), "[" + APP + "," + other + "]", Shape.BATCH, null);

        assertEquals(new Outcome.Accepted(5), outcome);
        assertEquals(7, ledger.snapshot().accepted());
        assertEquals(7, buffer.points());
    }

    @Test
    void anInvalidBodyListsEveryProblemAndTakesNothing() throws Exception {
        String twoProblems = """
                {"Namespace":"App","MetricData":[
                 {"MetricName":"","Value":1},
                 {"MetricName":"m","Value":1,"Unit":"Parsecs"},
                 {"MetricName":"fine","Value":1}]}""";

        Outcome outcome = ingest(service(), twoProblems, Shape.SINGLE, null);

        InvalidInputException problem = assertInstanceOf(Outcome.Invalid.class, outcome).problem();
        assertEquals("ValidationError", problem.error());
        assertEquals(List.of("MetricData[0].MetricName", "MetricData[1].Unit"),
                problem.problems().stream().map(Problem::path).toList(), problem.problems().toString());
        assertNothingTaken();
    }

    @Test
    void aBodyThatIsNotJsonOrNotTheShapeAskedIsInvalid() throws Exception {
        IngestService service = service();

        Outcome cut = ingest(service, APP.substring(0, 40), Shape.SINGLE, null);
        Outcome notABatch = ingest(service, APP, Shape.BATCH, null);

        assertEquals("InvalidJson", assertInstanceOf(Outcome.Invalid.class, cut).problem().error());
        assertInstanceOf(Outcome.Invalid.class, notABatch);
        assertNothingTaken();
    }

    @Test
    void namespacesOutsideAllowedNamespacesRefuseTheWholeBatch() throws Exception {
        String batch = "[" + APP.replace("\"App\"", "\"Team/web\"") + "," + APP.replace("\"App\"", "\"Zoo\"") + ","
                + APP.replace("\"App\"", "\"Evil\"") + "," + APP + "]";

        Outcome outcome = ingest(service("Team/*", "App"), batch, Shape.BATCH, new NamespacePolicy(List.of("Team/*")));

        // ALLOWED_NAMESPACES is asked first: the refusal names no token scope, and the token's is not consulted.
        assertEquals(new Outcome.NamespacesRefused(Set.of("Evil", "Zoo"), null), outcome);
        assertEquals(List.of("Evil", "Zoo"), List.copyOf(((Outcome.NamespacesRefused) outcome).namespaces()),
                "in order, for the message");
        assertNothingTaken();
    }

    @Test
    void namespacesOutsideTheTokensScopeAreRefusedWithThatScope() throws Exception {
        IngestService service = service();
        NamespacePolicy scope = new NamespacePolicy(List.of("Team/*"));

        Outcome outside = ingest(service, APP, Shape.SINGLE, scope);

        Outcome.NamespacesRefused refused = assertInstanceOf(Outcome.NamespacesRefused.class, outside);
        assertEquals(Set.of("App"), refused.namespaces());
        assertSame(scope, refused.tokenScope());
        assertNothingTaken();
    }

    @Test
    void namespacesInsideTheTokensScopeAreAccepted() throws Exception {
        NamespacePolicy scope = new NamespacePolicy(List.of("Team/*"));

        Outcome inside = ingest(service("Team/*"), APP.replace("\"App\"", "\"Team/a\""), Shape.SINGLE, scope);

        assertEquals(new Outcome.Accepted(3), inside);
        assertEquals(5, ledger.snapshot().accepted());
    }

    @Test
    void aFullBufferRefusesTheRequest() throws Exception {
        buffer = new AggregatingBuffer(1024);

        Outcome outcome = ingest(service(), APP, Shape.SINGLE, null);

        assertEquals(new Outcome.Refused(Intake.Outcome.BUFFER_FULL), outcome);
        assertNothingTaken();
    }

    @Test
    void aRequestPassingMaxSeriesIsRefusedAndCountsNone() throws Exception {
        IngestService service = service();
        StringBuilder eleven = new StringBuilder("{\"Namespace\":\"App\",\"MetricData\":[");
        for (int i = 0; i <= MAX_SERIES; i++) {
            eleven.append(i == 0 ? "" : ",").append("{\"MetricName\":\"s").append(i).append("\",\"Value\":1}");
        }

        Outcome outcome = ingest(service, eleven.append("]}").toString(), Shape.SINGLE, null);

        assertEquals(new Outcome.Refused(Intake.Outcome.TOO_MANY_SERIES), outcome);
        assertEquals(MAX_SERIES, service.maxSeries());
        assertNothingTaken();
    }

    @Test
    void aClosedIntakeRefusesTheRequest() throws Exception {
        IngestService service = service();
        intake.close();

        assertEquals(new Outcome.Refused(Intake.Outcome.CLOSED), ingest(service, APP, Shape.SINGLE, null));
        assertNothingTaken();
    }

    /** As {@code IntakeTest} does: a spool closed under the intake fails every append, as a dead disk would. */
    @Test
    void aRequestTheSpoolCannotTakeIsRefused() throws Exception {
        IngestService service = service();
        spool.close();

        assertEquals(new Outcome.Refused(Intake.Outcome.SPOOL_FAILED), ingest(service, APP, Shape.SINGLE, null));
        assertNothingBuffered();
        assertNoSeriesCounted(); // its series were given back: a spool outage does not fill MAX_SERIES
    }

    /** Neither buffered, nor in the ledger or the spool, nor counted against the series cap. */
    private void assertNothingTaken() {
        assertNothingBuffered();
        assertEquals(0, spool.waiting().bytes(), "nothing spooled");
        assertNoSeriesCounted();
    }

    private void assertNoSeriesCounted() {
        List<Datum> fresh = new ArrayList<>();
        for (int i = 0; i < MAX_SERIES; i++) {
            fresh.add(new Datum("fresh" + i, List.of(), new MetricValue.Single(1), null, null, clock.millis()));
        }
        assertNotNull(series.admit(List.of(new PutMetricDataInput("Probe", fresh))),
                "no series counted: " + MAX_SERIES + " new ones still fit under MAX_SERIES");
    }

    private void assertNothingBuffered() {
        DeliveryStats.Snapshot now = ledger.snapshot();
        assertEquals(0, now.accepted(), now.summary());
        assertEquals(0, now.imbalance(), now.summary());
        assertEquals(0, buffer.points());
        assertEquals(0, buffer.bytes());
        assertNull(buffer.drain().next(1000));
    }
}
