package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.StandInResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a CloudWatch 4xx names as refused: one datum of the chunk, so it can be dropped after one call, or the request
 * as a whole. The messages are CloudWatch's own, as reported from its Query API (issue trackers of SDKs and metric
 * libraries quote them); the service-level checks run through the real SDK and the stand-in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RejectionTest {

    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);

    private CloudWatchStandIn cloudWatch;
    private CloudWatchSink sink;

    @BeforeEach
    void start() {
        cloudWatch = CloudWatchStandIn.start();
        sink = new CloudWatchSink(cloudWatch.newClient());
    }

    @AfterEach
    void stop() {
        sink.close();
        cloudWatch.close();
    }

    /** Message, then the 0-based datum it names in a chunk of 20 (-1 for none), then whether it refuses the request. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            The value -Infinity for parameter MetricData.member.3.Value is invalid.                      |  2 | false
            The value NaN for parameter MetricData.member.11.Value is invalid.                           | 10 | false
            The parameter MetricData.member.1.Timestamp must specify a time within the past two weeks.   |  0 | false
            "The parameters MetricData.member.4.Value and MetricData.member.4.StatisticValues are mutually exclusive and you have specified both." | 3 | false
            At least one of the parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues must be specified. | 0 | false
            The parameter MetricData.member.12.Dimensions.member.1.Value is required.                   | 11 | false
            "The parameter MetricData.member.4.Unit must be a value in the set [ Seconds, Microseconds, None ]." | 3 | false
            The value MetricData.member.7.Value for parameter MetricData.member.2.Dimensions.member.1.Value is invalid. | 1 | false
            The value for parameter MetricData.member.21.Value is invalid.                               | -1 | false
            The value for parameter MetricData.member.1 is invalid                                       | -1 | false
            No metric may specify the same dimension name twice.                                         | -1 | false
            The value AWS/ for parameter Namespace is invalid.                                           | -1 | true
            The parameter Namespace is required.                                                         | -1 | true
            The parameter MetricData is required.                                                        | -1 | true
            The collection MetricData must not have a size greater than 1000.                            | -1 | true
            """)
    void readsWhatTheMessageNames(String message, int datum, boolean wholeRequest) {
        PublishException e = PublishException.rejected("InvalidParameterValue", message, null, 20, false);

        assertEquals(datum < 0 ? OptionalInt.empty() : OptionalInt.of(datum), e.rejectedDatum(), message);
        assertEquals(wholeRequest, e.refusesWholeRequest(), message);
        assertEquals(PublishException.Kind.REJECTED, e.kind());
    }

    @Test
    void aMessageThatNamesSeveralDatumsGivesTheFirst() {
        PublishException e = PublishException.rejected("MissingParameter",
                "The parameter MetricData.member.16.Dimensions.member.3.Value is required.\n"
                        + "The parameter MetricData.member.17.Dimensions.member.3.Value is required.", null, 1000, false);

        assertEquals(OptionalInt.of(15), e.rejectedDatum());
    }

    @Test
    void thePoisonDatumOfAThousandIsNamedInOneCall() {
        List<Datum> chunk = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            chunk.add(datum("item" + i, i == 637 ? Double.NEGATIVE_INFINITY : i));
        }
        cloudWatch.setDefaultResponder(StandInResponse.rejectingDatums(d -> d.value() != null && d.value().isInfinite()));

        PublishException e = assertThrows(PublishException.class, () -> sink.publish("Poison", chunk, TIME_LIMIT));

        assertEquals(PublishException.Kind.REJECTED, e.kind());
        assertEquals("InvalidParameterValue", e.errorCode());
        assertEquals("The value -Infinity for parameter MetricData.member.638.Value is invalid.", e.getMessage());
        assertEquals(OptionalInt.of(637), e.rejectedDatum());
        assertFalse(e.refusesWholeRequest());
        assertEquals(1, cloudWatch.calls().size());
    }

    @Test
    void aRefusedNamespaceRefusesTheWholeRequest() {
        PublishException e = refused(StandInResponse.badRequest("InvalidParameterValue",
                "The value AWS/ for parameter Namespace is invalid."), 2);

        assertTrue(e.refusesWholeRequest());
        assertEquals(OptionalInt.empty(), e.rejectedDatum());
    }

    @Test
    void aRequestTooLargeIsRefusedWholeWhateverItsMessage() {
        PublishException e = refused(StandInResponse.error(413, "RequestEntityTooLarge",
                "Request size 1048577 exceeded 1048576 bytes"), 1);

        assertTrue(e.refusesWholeRequest());
    }

    @Test
    void aDatumNamedBeyondTheChunkIsNotTakenForOne() {
        PublishException e = refused(StandInResponse.badRequest("InvalidParameterValue",
                "The value NaN for parameter MetricData.member.3.Value is invalid."), 2);

        assertEquals(OptionalInt.empty(), e.rejectedDatum());
        assertFalse(e.refusesWholeRequest());
    }

    /** Publishes a chunk of {@code datums} datums that CloudWatch answers with {@code answer}, a 4xx, once. */
    private PublishException refused(StandInResponse answer, int datums) {
        cloudWatch.enqueue(answer);
        List<Datum> chunk = IntStream.range(0, datums).mapToObj(i -> datum("m" + i, i)).toList();

        PublishException e = assertThrows(PublishException.class, () -> sink.publish("Refused", chunk, TIME_LIMIT));

        assertEquals(PublishException.Kind.REJECTED, e.kind());
        assertEquals(1, cloudWatch.calls().size(), "a 4xx is not retried");
        return e;
    }

    private static Datum datum(String name, double value) {
        return new Datum(name, List.of(), new MetricValue.Single(value), null, null, System.currentTimeMillis());
    }
}
