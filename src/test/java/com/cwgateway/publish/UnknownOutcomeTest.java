package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.publish.MetricSink.Published;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.StandInResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * An attempt that reached CloudWatch and got no answer may have been stored, and the SDK's retry stores the chunk
 * again: the sink says how many such attempts a call had. Real SDK client, configured as the gateway configures it,
 * against the stand-in. The client's timeout is 3 s here, so 1 s an attempt: the default's proportions (15 s, 5 s an
 * attempt) in less time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnknownOutcomeTest {

    private static final Duration CALL_TIMEOUT = Duration.ofMillis(3000);
    /** A time limit for the call long enough for all three attempts to time out. */
    private static final Duration ROOM_FOR_THREE_ATTEMPTS = Duration.ofSeconds(10);
    /** Far slower than an attempt may take (1 s). */
    private static final Duration TOO_SLOW = Duration.ofSeconds(4);

    private CloudWatchStandIn cloudWatch;
    private CloudWatchSink sink;

    @BeforeEach
    void start() {
        cloudWatch = CloudWatchStandIn.start();
        sink = sinkFor(cloudWatch.endpoint());
    }

    @AfterEach
    void stop() {
        sink.close();
        cloudWatch.close();
    }

    private static CloudWatchSink sinkFor(URI endpoint) {
        return new CloudWatchSink(CloudWatchSink.clientBuilder(CALL_TIMEOUT)
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build());
    }

    private static List<Datum> chunk() {
        return List.of(new Datum("Requests", List.of(), new MetricValue.Single(1), "Count", null,
                System.currentTimeMillis()));
    }

    @Test
    void anAttemptTakesAThirdOfTheCallTimeout() {
        try (CloudWatchClient client = CloudWatchSink.clientBuilder(Duration.ofSeconds(15)).region(Region.US_EAST_1)
                .build()) {
            assertEquals(Duration.ofSeconds(5),
                    client.serviceClientConfiguration().overrideConfiguration().apiCallAttemptTimeout().orElseThrow());
        }
    }

    @Test
    void anAnswerWithinTheAttemptTimeoutIsStoredOnce() throws Exception {
        // A client's first call spends a few hundred milliseconds of its first attempt loading classes.
        sink.publish("WarmUp", chunk(), CALL_TIMEOUT);
        // 800 ms of 1 s: as CloudWatch answering in 4 s with the default 5 s an attempt.
        cloudWatch.enqueue(StandInResponse.delayed(Duration.ofMillis(800), StandInResponse.ok()));

        assertEquals(Published.ONCE, sink.publish("Slow", chunk(), CALL_TIMEOUT));

        assertEquals(1, cloudWatch.calls().stream().filter(call -> call.namespace().equals("Slow")).count());
    }

    @Test
    void answersAfterTheAttemptTimeoutAreUnknownAttempts() throws Exception {
        cloudWatch.enqueue(StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()),
                StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()));

        Published published = sink.publish("Slow", chunk(), ROOM_FOR_THREE_ATTEMPTS);

        // CloudWatch stored all three copies; the sink knows of the two it could not see.
        assertEquals(3, cloudWatch.acceptedCalls().size());
        assertEquals(new Published(2), published);
    }

    @Test
    void aConnectionDroppedAfterSendingIsAnUnknownAttempt() throws Exception {
        cloudWatch.enqueue(StandInResponse.dropConnection());

        assertEquals(new Published(1), sink.publish("Dropped", chunk(), CALL_TIMEOUT));

        assertEquals(2, cloudWatch.calls().size());
    }

    @Test
    void throttlingAndServerErrorsAreAnswersNotUnknowns() throws Exception {
        cloudWatch.enqueue(StandInResponse.throttling(), StandInResponse.serverError());

        assertEquals(Published.ONCE, sink.publish("Answered", chunk(), ROOM_FOR_THREE_ATTEMPTS));

        assertEquals(3, cloudWatch.calls().size());
    }

    @Test
    void aCallWhoseEveryAttemptTimesOutHasAnUnknownOutcome() {
        for (int i = 0; i < 3; i++) {
            cloudWatch.enqueue(StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()));
        }

        PublishException e = assertThrows(PublishException.class,
                () -> sink.publish("Slow", chunk(), ROOM_FOR_THREE_ATTEMPTS));

        assertEquals(PublishException.Kind.UNKNOWN_OUTCOME, e.kind());
        assertEquals(3, cloudWatch.calls().size());
        assertEquals(3, e.unknownAttempts());
    }

    @Test
    void aCallCutShortByItsTimeLimitWhileWaitingHasAnUnknownOutcome() {
        cloudWatch.enqueue(StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()));

        PublishException e = assertThrows(PublishException.class,
                () -> sink.publish("Slow", chunk(), Duration.ofMillis(500)));

        assertInstanceOf(ApiCallTimeoutException.class, e.getCause());
        assertEquals("Timeout", e.errorCode());
        assertEquals(PublishException.Kind.UNKNOWN_OUTCOME, e.kind());
        assertEquals(1, e.unknownAttempts());
    }

    @Test
    void aTimeoutBeforeServerErrorsStillMayHaveStoredTheChunk() {
        cloudWatch.enqueue(StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()), StandInResponse.serverError(),
                StandInResponse.serverError());

        PublishException e = assertThrows(PublishException.class,
                () -> sink.publish("Mixed", chunk(), ROOM_FOR_THREE_ATTEMPTS));

        assertEquals(PublishException.Kind.UNKNOWN_OUTCOME, e.kind());
        assertEquals("InternalServiceError", e.errorCode());
        assertEquals(1, e.unknownAttempts());
        assertEquals(1, cloudWatch.acceptedCalls().size());
    }

    @Test
    void aSuccessAnswerCutOffByTheAttemptTimeoutIsACopyAndItsRetryIsCounted() throws Exception {
        cloudWatch.enqueue(StandInResponse.okWithSlowBody(TOO_SLOW));

        Published published = sink.publish("CutOff", chunk(), ROOM_FOR_THREE_ATTEMPTS);

        // The first attempt heard "200" and timed out reading the rest; its retry stored the chunk again.
        assertEquals(2, cloudWatch.acceptedCalls().size());
        assertEquals(new Published(1), published);
    }

    @Test
    void aSuccessAnswerCutOffByTheCallsTimeLimitIsPublishedNotSentAgain() throws Exception {
        cloudWatch.enqueue(StandInResponse.okWithSlowBody(TOO_SLOW));

        // The call's own limit ends it while the body is awaited: no retry, and no failure either.
        Published published = sink.publish("CutOff", chunk(), Duration.ofMillis(700));

        assertEquals(1, cloudWatch.acceptedCalls().size());
        assertEquals(Published.ONCE, published);
    }

    @Test
    void everyCopyIsCountedWhenEveryAttemptIsCutOffAfterSuccess() throws Exception {
        for (int i = 0; i < 3; i++) {
            cloudWatch.enqueue(StandInResponse.okWithSlowBody(TOO_SLOW));
        }

        Published published = sink.publish("CutOff", chunk(), ROOM_FOR_THREE_ATTEMPTS);

        assertEquals(3, cloudWatch.acceptedCalls().size());
        assertEquals(new Published(2), published);
    }

    @Test
    void serverErrorsAloneAreTransient() {
        for (int i = 0; i < 3; i++) {
            cloudWatch.enqueue(StandInResponse.serverError());
        }

        PublishException e = assertThrows(PublishException.class,
                () -> sink.publish("Failing", chunk(), ROOM_FOR_THREE_ATTEMPTS));

        assertEquals(PublishException.Kind.TRANSIENT, e.kind());
        assertEquals(0, e.unknownAttempts());
    }

    @Test
    void refusedConnectionsSentNothingAndStayTransient() throws Exception {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        try (CloudWatchSink refused = sinkFor(closedPort)) {
            PublishException e = assertThrows(PublishException.class,
                    () -> refused.publish("Refused", chunk(), ROOM_FOR_THREE_ATTEMPTS));

            assertEquals(PublishException.Kind.TRANSIENT, e.kind());
            assertEquals(0, e.unknownAttempts());
            assertTrue(hasCause(e, IOException.class), "a connection failure: " + e.getCause());
        }
    }

    @Test
    void aClientBuiltElsewhereIsTrackedToo() throws Exception {
        try (CloudWatchSink elsewhere = new CloudWatchSink(cloudWatch.newClient(
                o -> o.apiCallAttemptTimeout(Duration.ofSeconds(1))))) {
            cloudWatch.enqueue(StandInResponse.delayed(TOO_SLOW, StandInResponse.ok()));

            assertEquals(new Published(1), elsewhere.publish("Elsewhere", chunk(), ROOM_FOR_THREE_ATTEMPTS));

            List<RecordedCall> calls = cloudWatch.calls();
            assertEquals(List.of(1, 2), calls.stream().map(RecordedCall::attempt).toList());
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
