package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.Deliveries;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.Poster;
import com.cwgateway.testsupport.SpoolContents;
import com.cwgateway.testsupport.StandInResponse;
import com.cwgateway.testsupport.StopLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a flush, at the default shutdown deadline and at a short one, with CloudWatch
 * healthy and slow: what CloudWatch confirms by the deadline is published, the rest is spooled and delivered
 * by the next start, and the stop line's numbers are what the stand-in received. With aggregation off, one
 * point is one datum.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShutdownDeadlineIT {

    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    /**
     * 30,000 new series buffered (the 600,000 take twenty times as long), CloudWatch answering each call
     * in 300 ms, SIGTERM about 1 s into the flush, SHUTDOWN_TIMEOUT_MS at its default.
     */
    @Test
    void sigtermMidFlushAtTheDefaultDeadlineWithSlowCloudWatch() throws Exception {
        stopMidFlushThenRestart(30, Duration.ofMillis(300), Duration.ofSeconds(1), Map.of());
    }

    /** SHUTDOWN_TIMEOUT_MS=2000, 10 x 1000 datums, CloudWatch answering in 400 ms: nothing lost across the restart. */
    @Test
    void sigtermMidFlushAtAShortDeadline() throws Exception {
        stopMidFlushThenRestart(10, Duration.ofMillis(400), Duration.ofMillis(200), Map.of("SHUTDOWN_TIMEOUT_MS", "2000"));
    }

    /**
     * A call slower than the whole shutdown budget is in flight at SIGTERM (CloudWatch answers in 4 s, the
     * budget is 2 s), and newer points wait in the buffer: the points of that call must stay in the spool,
     * since nobody heard CloudWatch confirm them.
     */
    @Test
    void aCallSlowerThanTheShutdownBudgetLosesNothing() throws Exception {
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("Deadline");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.delayed(Duration.ofSeconds(4), StandInResponse.ok()));
            Map<String, String> env = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "500",
                    "SHUTDOWN_TIMEOUT_MS", "2000"));
            StopLine stop;
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                assertTrue(poster.post(port, Poster.names("in-flight-", 1000)).accepted());
                assertNotNull(cloudWatch.takeCall(START), "no flush started");
                assertTrue(poster.post(port, Poster.names("buffered-", 1000)).accepted());
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(START), gateway.stderr());
                stop = StopLine.of(gateway, START);
                gateway.stderrLines().lines().stream().filter(line -> line.contains("WARNING") || line.contains("SEVERE"))
                        .forEach(line -> System.out.println("a call slower than the budget, log: " + line));
            }
            System.out.println("a call slower than the budget: " + stop.line());
            Throwable lost = restartAndDeliver(cloudWatch, spool, poster, 0);
            // The call's points are counted in flight (nobody heard CloudWatch confirm them), all others spooled.
            assertAll(() -> assertNull(lost, "lost across the restart: " + lost),
                    () -> assertTrue(stop.balanced() && stop.dropped() == 0 && stop.buffered() == 0, stop.line()),
                    () -> assertEquals(1000, stop.inFlight(), "the slow call's points: " + stop.line()),
                    () -> assertEquals(1000, stop.spooled(), "the buffered points, in the kept segments: " + stop.line()));
        }
    }

    /**
     * Many small requests in flight while SIGTERM comes: each gets 202 and is delivered, or gets 503
     * ShuttingDown and is not, or its connection closes without an answer. No 202 is lost.
     */
    @Test
    void requestsInFlightAtSigtermGet202AndAreDeliveredOr503() throws Exception {
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("InFlight");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> env = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "300"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                // One request first, so that the second before SIGTERM is not spent loading the classes of the first.
                assertTrue(poster.post(port, List.of("warm-up")).accepted());
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger requests = new AtomicInteger();
                List<Thread> clients = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String prefix = "c" + t + "-";
                    clients.add(Thread.ofPlatform().daemon().start(() -> {
                        for (int request = 0; !stop.get(); request++) {
                            requests.incrementAndGet();
                            if (poster.post(port, Poster.names(prefix + request + "-", 5)).status() == 0) {
                                sleep(5); // the server is gone or going: do not spin
                            }
                        }
                    }));
                }
                Thread.sleep(1000);
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(START), gateway.stderr());
                stop.set(true);
                for (Thread client : clients) {
                    client.join();
                }
                StopLine line = StopLine.of(gateway, START);
                int unanswered = poster.unanswered().size();
                System.out.printf("requests in flight at SIGTERM: %d requests, %d points answered 202, %d refused %s, "
                        + "%d without an answer; %s%n", requests.get(), poster.accepted().size(),
                        poster.refusals().values().stream().mapToInt(Integer::intValue).sum(), poster.refusals(),
                        unanswered, line.line());
                assertTrue(line.everyPointPublished(), line.line());
                assertTrue(line.accepted() >= poster.accepted().size() && line.accepted() <= poster.accepted().size()
                        + unanswered, line.line());
                Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
                assertEquals(line.published(), delivered.points(), line.line());
                assertEquals(List.of(), delivered.missing(poster.accepted()), "answered 202, never delivered");
                assertEquals(0, delivered.deliveredOf(poster.refused("ShuttingDown")),
                        "a request answered 503 ShuttingDown was delivered");
                assertEquals(0, delivered.duplicates());
                assertTrue(poster.accepted().size() > 1, "no client request but the warm-up was answered 202");
            }
        }
    }

    /**
     * Posts {@code requests} x 1000 new series, waits for the flush's first call, sends SIGTERM {@code after}
     * it, and checks the stop line against what the stand-in received; then a restart delivers the rest.
     */
    private void stopMidFlushThenRestart(int requests, Duration answerTime, Duration after, Map<String, String> settings)
            throws Exception {
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("Deadline");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.delayed(answerTime, StandInResponse.ok()));
            Map<String, String> env = new HashMap<>(env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "3000")));
            env.putAll(settings);
            StopLine stop;
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                for (int request = 0; request < requests; request++) {
                    assertTrue(poster.post(port, Poster.names("s" + request + "-", 1000)).accepted());
                }
                assertNotNull(cloudWatch.takeCall(START), "no flush started");
                Thread.sleep(after.toMillis());
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(Duration.ofSeconds(40)), gateway.stderr());
                stop = StopLine.of(gateway, START);
            }
            System.out.println("SIGTERM mid-flush (" + requests + " x 1000 datums, answers in " + answerTime + ", "
                    + settings + "): " + stop.line());
            long delivered = Deliveries.of(cloudWatch.deliveredDatums(0)).points();
            long onDisk = SpoolContents.points(spool);
            // Whether a point was lost is for the restart to say; the stop line is checked after it.
            Throwable lost = restartAndDeliver(cloudWatch, spool, poster, stop.possiblyDuplicated());
            assertAll(() -> assertNull(lost, "lost across the restart: " + lost),
                    () -> assertTrue(stop.nothingLeftBehind(), "every point published or spooled: " + stop.line()),
                    () -> assertEquals(requests * 1000, stop.accepted(), stop.line()),
                    () -> assertTrue(delivered >= stop.published()
                            && delivered <= stop.published() + stop.possiblyDuplicated(),
                            "the stand-in received " + delivered + " before the restart: " + stop.line()),
                    () -> assertEquals(stop.spooled(), onDisk, "the spool holds what the stop line says"));
        }
    }

    /**
     * A run with healthy CloudWatch replays the spool and delivers every point answered 202; duplicates only
     * as many as the first run counted as possibly duplicated. Returns what went wrong, or null.
     */
    private static Throwable restartAndDeliver(CloudWatchStandIn cloudWatch, Path spool, Poster poster,
                                               long possiblyDuplicated) throws Exception {
        cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
        long onDisk = SpoolContents.points(spool);
        try (GatewayProcess gateway = GatewayProcess.start(env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "200")))) {
            gateway.awaitListening(START);
            try {
                Deliveries.await(cloudWatch, poster.accepted(), Duration.ofSeconds(20));
            } catch (AssertionError notDelivered) {
                return notDelivered;
            }
            gateway.signal("TERM");
            assertEquals(143, gateway.awaitExit(START), gateway.stderr());
            StopLine stop = StopLine.of(gateway, START);
            assertTrue(stop.everyPointPublished(), stop.line());
            assertEquals(onDisk, stop.replayed(), stop.line());
        }
        Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
        assertTrue(delivered.duplicates() <= possiblyDuplicated, "duplicates: " + delivered.duplicates());
        return null;
    }

    private static Map<String, String> env(CloudWatchStandIn cloudWatch, Path spool, Map<String, String> settings)
            throws Exception {
        Map<String, String> env = new HashMap<>(GatewayProcess.environment(cloudWatch.endpoint(), Map.of(
                "SPOOL_DIR", spool.toString(), "MAX_SERIES", "0", "METRICS_AGGREGATION", "false")));
        env.putAll(settings);
        return env;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
