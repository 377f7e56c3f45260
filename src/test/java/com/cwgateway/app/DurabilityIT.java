package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.Commands;
import com.cwgateway.testsupport.Deliveries;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.Poster;
import com.cwgateway.testsupport.SpoolContents;
import com.cwgateway.testsupport.StandInResponse;
import com.cwgateway.testsupport.StopLine;
import com.cwgateway.testsupport.Tmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code DURABILITY} promises, checked on the packaged jar as a process: with {@code disk} (the default)
 * every point answered 202 reaches CloudWatch, whatever kills the process and when, with the spool on a full
 * disk, across a stop in the middle of a replay, and from a spool larger than the heap; a dry run leaves a
 * spool alone, and one SPOOL_DIR serves one gateway; with {@code memory} a crash loses what was buffered and a
 * stop does not. Delivered means answered with success while the gateway was
 * still there to hear it ({@link CloudWatchStandIn#deliveredCalls()}). A point may arrive twice only when a
 * process stopped before it could delete what it had published; each test bounds how often.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class DurabilityIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(40);
    private static final Pattern SINK_READY = Pattern.compile("sink cloudwatch \\(region");

    @TempDir
    Path tmp;

    /**
     * kill -9 at random moments, twenty times in a row, on one SPOOL_DIR: while clients post, mid-flush,
     * mid-force (every request forces the log), mid-replay (each start replays what the last one left) and
     * mid-trim, with CloudWatch failing 30% of its calls and answering some late. Then a clean run delivers
     * everything. The seed is printed; {@code -Ddurability.seed=N} repeats a run.
     */
    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void killNineAtRandomMomentsUnderLoadLosesNoAcknowledgedPoint() throws Exception {
        long seed = Long.getLong("durability.seed", System.nanoTime());
        System.out.println("kill -9 loop: seed " + seed + " (-Ddurability.seed=" + seed + " repeats it)");
        Random random = new Random(seed);
        Random flaky = new Random(seed + 1);
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("Durability");
        // Every point on disk at a start can be published once more in that run, if the run is killed before it
        // deletes what it published; within one run each copy is published at most once (no call here takes
        // long enough to time out and be sent again). So the duplicates are at most the points on disk summed
        // over every start.
        long onDiskAtStarts = 0;
        int cycles = 20;
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> {
                double draw = flaky.nextDouble(); // the responder runs under the stand-in's lock
                if (draw < 0.3) {
                    return StandInResponse.serverError();
                }
                return draw < 0.45 ? StandInResponse.delayed(Duration.ofMillis(100 + flaky.nextInt(600)),
                        StandInResponse.ok()) : StandInResponse.ok();
            });
            Map<String, String> env = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "300"));
            for (int cycle = 0; cycle < cycles; cycle++) {
                onDiskAtStarts += Files.isDirectory(spool) ? SpoolContents.points(spool) : 0;
                try (GatewayProcess gateway = GatewayProcess.start(env)) {
                    int port = gateway.awaitListening(START);
                    AtomicBoolean stop = new AtomicBoolean();
                    List<Thread> clients = new ArrayList<>();
                    for (int t = 0; t < 3; t++) {
                        String prefix = "k" + cycle + "-" + t + "-";
                        clients.add(Thread.ofPlatform().daemon().start(() -> {
                            for (int request = 0; !stop.get(); request++) {
                                poster.post(port, Poster.names(prefix + request + "-", 20));
                            }
                        }));
                    }
                    // The moment: 0.2 to 2 s after the start (while it replays, often before the CloudWatch client
                    // is built, which takes a second or more here), or, three times in four, after the client is
                    // built, so that flushes, forces of carried points and trims are under way.
                    if (random.nextInt(4) > 0) {
                        assertNotNull(gateway.stderrLines().await(SINK_READY, START), gateway.stderr());
                    }
                    Thread.sleep(200 + random.nextInt(1800));
                    gateway.signal("KILL"); // while the clients post: some requests are cut off unanswered
                    stop.set(true);
                    assertEquals(137, gateway.awaitExit(EXIT));
                    for (Thread client : clients) {
                        client.join();
                    }
                }
            }
            long onDisk = SpoolContents.points(spool);
            onDiskAtStarts += onDisk;
            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                gateway.awaitListening(START);
                Deliveries.await(cloudWatch, poster.accepted(), Duration.ofSeconds(60));
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
                StopLine stop = StopLine.of(gateway, START);
                assertTrue(stop.everyPointPublished(), stop.line());
                assertEquals(onDisk, stop.replayed(), "the last start replays exactly what the spool holds: " + stop.line());
                assertEquals(0, stop.accepted(), stop.line());
            }
            assertEquals(List.of(), SpoolContents.segments(spool), "a clean stop after delivering everything");

            Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
            Set<String> unanswered = poster.unanswered();
            System.out.printf("kill -9 loop (seed %d): %d points answered 202, %d without an answer (%d of them "
                            + "delivered), refused %s; delivered %d points, %d of them duplicates (bound %d: "
                            + "points on disk summed over %d starts)%n", seed, poster.accepted().size(),
                    unanswered.size(), delivered.deliveredOf(unanswered), poster.refusals(), delivered.points(),
                    delivered.duplicates(), onDiskAtStarts, cycles + 1);
            assertEquals(List.of(), delivered.missing(poster.accepted()), "answered 202 but never delivered (seed "
                    + seed + ")");
            assertEquals(poster.accepted().size() + delivered.deliveredOf(unanswered), delivered.names(),
                    "only names that were sent and not refused are delivered");
            assertTrue(delivered.duplicates() <= onDiskAtStarts, "duplicates " + delivered.duplicates()
                    + " above the points on disk at the starts, " + onDiskAtStarts + " (seed " + seed + ")");
            assertTrue(poster.accepted().size() > cycles * 100, "the clients got little in: " + poster.accepted().size());
            assertTrue(onDiskAtStarts > 0, "no start had anything to replay: the kills never left points behind");
        }
    }

    /**
     * A big spool (CloudWatch down when the first run stopped), then starts that are stopped by SIGTERM while
     * they replay it, with CloudWatch slow: each exits 143 and keeps the spool, and a last run delivers every
     * point. What a stopped replay had published is published again by the next start (the segment it was
     * reading is kept whole): that is the bound on duplicates.
     */
    @Test
    void sigtermDuringReplayKeepsTheSpoolForTheNextStart() throws Exception {
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("Replay");
        int points = 20_000;
        Random random = new Random(Long.getLong("durability.seed", 7));
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            spoolWhileCloudWatchIsDown(cloudWatch, spool, poster, "r", points);

            // A buffer of 1 MiB (a few thousand series) makes replay wait for flushes of a few slow calls
            // each, a second apart: it takes far longer than the 0.3 to 1.5 s before each SIGTERM.
            cloudWatch.setDefaultResponder(call -> StandInResponse.delayed(Duration.ofMillis(200), StandInResponse.ok()));
            Map<String, String> slow = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "1000",
                    "MAX_BUFFER_BYTES", "1048576"));
            long publishedByStoppedStarts = 0;
            for (int attempt = 0; attempt < 2; attempt++) {
                long onDisk = SpoolContents.points(spool);
                int mark = cloudWatch.deliveredCalls().size();
                try (GatewayProcess gateway = GatewayProcess.start(slow)) {
                    gateway.awaitListening(START);
                    Thread.sleep(300 + random.nextInt(1200));
                    gateway.signal("TERM");
                    assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
                    StopLine stop = StopLine.of(gateway, START);
                    assertTrue(stop.nothingLeftBehind(), stop.line());
                    assertTrue(stop.replayed() < onDisk, "stopped before the replay ended: " + stop.line());
                    assertNotNull(gateway.stderrLines().await(Pattern.compile("replay stopped by shutdown"), START),
                            gateway.stderr());
                    assertEquals(stop.published(), Deliveries.of(cloudWatch.deliveredDatums(mark)).points(),
                            "the stop line counts what CloudWatch confirmed: " + stop.line());
                    publishedByStoppedStarts += stop.published() + stop.spooled();
                }
                assertTrue(SpoolContents.points(spool) >= points, "the spool still holds every point");
            }

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            deliverTheSpool(cloudWatch, spool, poster.accepted());
            Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
            System.out.printf("SIGTERM during replay: %d points, %d published by the stopped starts, %d "
                    + "duplicates%n", points, publishedByStoppedStarts, delivered.duplicates());
            assertEquals(List.of(), delivered.missing(poster.accepted()));
            assertTrue(delivered.duplicates() <= publishedByStoppedStarts, "duplicates " + delivered.duplicates());
        }
    }

    /**
     * A spool larger than the heap: written by a run with a big heap, replayed by one with -Xmx64m. Replay
     * reads the spool record by record and waits for room in the buffer, so it must not run out of memory.
     */
    @Test
    void aSpoolLargerThanTheHeapIsReplayedWithoutRunningOutOfMemory() throws Exception {
        Path spool = tmp.resolve("spool");
        // About 1 KB a datum on disk and in memory: 68,000 distinct series make a spool larger than the 64 MiB
        // heap below (the issue's 300,000 small ones take four times as long to write and replay here).
        Poster poster = new Poster("Heap", "x".repeat(900));
        int points = 68_000;
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            spoolWhileCloudWatchIsDown(cloudWatch, spool, poster, "heap-", points);
            long bytes = 0;
            for (Path segment : SpoolContents.segments(spool)) {
                bytes += Files.size(segment);
            }
            assertTrue(bytes > 64L << 20, "the spool (" + bytes + " bytes) is larger than the heap");

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            // MAX_BUFFER_BYTES at its default, a third of the heap: replay stops adding when the buffer is
            // full and waits on disk for a flush. The Dockerfile's -Xmn96m leaves this heap almost all young
            // generation (the JVM warns), so full collections come often: slow, but it must not run out of
            // memory (its -XX:+ExitOnOutOfMemoryError would end the process, and nothing would be delivered).
            Map<String, String> smallHeap = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "300",
                    "JAVA_TOOL_OPTIONS", "-Xmx64m"));
            String stderr = deliverTheSpool(cloudWatch, spool, poster.accepted(), smallHeap);
            assertFalse(stderr.contains("OutOfMemoryError"), stderr);
        }
    }

    /**
     * One gateway per SPOOL_DIR: a second one exits 2 naming the directory and the first one's pid. A
     * SPOOL_DIR that is a regular file stops the start with exit 2 naming it (SpoolDirTest checks the other
     * ways a directory is unusable, such as one that cannot be written).
     */
    @Test
    void aSpoolDirInUseOrUnusableStopsTheStartWithExitTwo() throws Exception {
        Path spool = tmp.resolve("spool");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess first = GatewayProcess.start(env(cloudWatch, spool, Map.of()))) {
            first.awaitListening(START);
            try (GatewayProcess second = GatewayProcess.start(env(cloudWatch, spool, Map.of()))) {
                assertEquals(2, second.awaitExit(START), second.stderr());
                assertTrue(second.stderr().contains("spool directory " + spool + " is in use by another gateway: pid "
                        + first.pid() + " "), second.stderr());
            }

            Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
            try (GatewayProcess gateway = GatewayProcess.start(env(cloudWatch, file, Map.of()))) {
                assertEquals(2, gateway.awaitExit(START), gateway.stderr());
                assertTrue(gateway.stderr().contains("spool directory " + file + " is a regular file"), gateway.stderr());
            }

            assertTrue(first.stderr().lines().noneMatch(line -> line.contains("SEVERE")), first.stderr());
        }
    }

    /**
     * The disk fills while the gateway runs with CloudWatch down: requests get 503 SpoolUnavailable, never a
     * 202 for points it could not force. When CloudWatch is back, a flush publishes and deletes what the spool
     * held, and requests get 202 again. Every 202 is delivered.
     */
    @Test
    void aFullDiskRefusesRequestsUntilAFlushFreesIt() throws Exception {
        Path mountPoint = Files.createDirectory(tmp.resolve("small-disk"));
        // The gateway wants 16 MiB free at start (SpoolDir): the disk is filled after it started.
        Optional<Tmpfs> mounted = Tmpfs.mount(mountPoint, "20m");
        assertTrue(mounted.isPresent(), "mounting a tmpfs needs root (the tests run as root, here and in CI)");
        Poster poster = new Poster("FullDisk");
        try (Tmpfs disk = mounted.get(); CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            Map<String, String> env = env(cloudWatch, mountPoint, Map.of("METRICS_FLUSH_INTERVAL", "200"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                long usable = Files.getFileStore(mountPoint).getUsableSpace();
                Commands.Result fill = Commands.run("fallocate", "-l", String.valueOf(usable - (512 << 10)),
                        mountPoint.resolve("filler").toString());
                assertTrue(fill.ok(), fill.output());

                int request = 0;
                Poster.Result result = null;
                for (; request < 2000; request++) {
                    result = poster.post(port, Poster.names("full-" + request + "-", 200));
                    if (!result.accepted()) {
                        break;
                    }
                }
                assertEquals(new Poster.Result(503, "SpoolUnavailable"), result, "after " + request + " requests");
                assertTrue(poster.accepted().size() > 0, "the disk took some requests before it was full");

                cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
                boolean recovered = false;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (int again = 0; !recovered && System.nanoTime() < deadline; again++) {
                    recovered = poster.post(port, Poster.names("again-" + again + "-", 200)).accepted();
                    if (!recovered) {
                        Thread.sleep(200);
                    }
                }
                assertTrue(recovered, "no 202 after CloudWatch came back: " + poster.refusals() + "\n" + gateway.stderr());
                assertNotNull(gateway.stderrLines().await(Pattern.compile("cannot write requests to the spool in "
                        + Pattern.quote(mountPoint.toString())), START), gateway.stderr());

                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
                StopLine stop = StopLine.of(gateway, START);
                assertTrue(stop.everyPointPublished(), stop.line());
                assertEquals(poster.accepted().size(), stop.accepted(), stop.line());
            }
            Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
            assertEquals(List.of(), delivered.missing(poster.accepted()));
            assertEquals(0, delivered.deliveredOf(poster.refused("SpoolUnavailable")),
                    "a request refused with 503 is not half accepted");
            assertEquals(0, delivered.duplicates());
        }
    }

    /**
     * SINK=log on the spool of a real run: the dry run says it leaves the spool alone, prints none of its
     * points and changes none of its bytes; the next real run delivers all of them.
     */
    @Test
    void aDryRunLeavesARealRunsSpoolAlone() throws Exception {
        Path spool = tmp.resolve("spool");
        Poster poster = new Poster("DryRun");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            spoolWhileCloudWatchIsDown(cloudWatch, spool, poster, "spooled-", 3000);
            Map<Path, byte[]> before = contents(spool);

            Map<String, String> dry = env(cloudWatch, spool, Map.of("SINK", "log", "METRICS_FLUSH_INTERVAL", "300"));
            try (GatewayProcess gateway = GatewayProcess.start(dry)) {
                int port = gateway.awaitListening(START);
                assertNotNull(gateway.stderrLines().await(Pattern.compile(Pattern.quote("dry run (SINK=log): SPOOL_DIR "
                        + spool + " is left alone, where " + before.size() + " segment files (")), START), gateway.stderr());
                new Poster("DryRun").post(port, List.of("dry-only"));
                assertNotNull(gateway.stdoutLines().await(Pattern.compile("dry-only"), START), gateway.stdout());
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
                assertFalse(gateway.stdout().contains("spooled-"), "the dry run printed spooled points");
                assertEquals(0, StopLine.of(gateway, START).replayed());
            }
            Map<Path, byte[]> after = contents(spool);
            assertEquals(before.keySet(), after.keySet());
            before.forEach((file, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(file)), file + " changed"));

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            deliverTheSpool(cloudWatch, spool, poster.accepted());
            assertEquals(0, Deliveries.of(cloudWatch.deliveredDatums(0)).duplicates());
        }
    }

    /**
     * DURABILITY=memory, as the README says: points are kept in memory only, so kill -9 loses what was
     * buffered (nothing of it is on disk, nothing is replayed), while SIGTERM writes it to the spool and the
     * next start delivers it.
     */
    @Test
    void memoryDurabilityLosesTheBufferToKillNineButNotToSigterm() throws Exception {
        Path spool = tmp.resolve("spool");
        Poster lost = new Poster("Memory");
        Poster kept = new Poster("Memory");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            Map<String, String> memory = env(cloudWatch, spool, Map.of("DURABILITY", "memory",
                    "METRICS_FLUSH_INTERVAL", "300", "SHUTDOWN_TIMEOUT_MS", "3000"));
            try (GatewayProcess gateway = GatewayProcess.start(memory)) {
                int port = gateway.awaitListening(START);
                assertTrue(lost.post(port, Poster.names("lost-", 2000)).accepted());
                assertNotNull(cloudWatch.takeCall(START), "a flush tried CloudWatch");
                gateway.signal("KILL");
                assertEquals(137, gateway.awaitExit(EXIT));
            }
            assertEquals(0, SpoolContents.points(spool), "memory durability writes nothing while it runs");

            try (GatewayProcess gateway = GatewayProcess.start(memory)) {
                int port = gateway.awaitListening(START);
                assertTrue(kept.post(port, Poster.names("kept-", 2000)).accepted());
                gateway.signal("TERM");
                assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
                StopLine stop = StopLine.of(gateway, START);
                assertEquals(0, stop.replayed(), "nothing of the killed run's buffer was replayed: " + stop.line());
                assertEquals(2000, stop.spooled(), stop.line());
                assertTrue(stop.nothingLeftBehind(), stop.line());
            }

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            Map<String, String> healthy = new HashMap<>(memory);
            healthy.put("METRICS_FLUSH_INTERVAL", "200");
            deliverTheSpool(cloudWatch, spool, kept.accepted(), healthy);
            Deliveries delivered = Deliveries.of(cloudWatch.deliveredDatums(0));
            assertEquals(List.of(), delivered.missing(kept.accepted()));
            assertEquals(0, delivered.deliveredOf(lost.accepted()), "kill -9 lost the buffer, as documented");
        }
    }

    // ----------------------------------------------------------------------------------------------------

    /** The process environment: CloudWatch stand-in, SPOOL_DIR, no series cap, then {@code settings}. */
    private static Map<String, String> env(CloudWatchStandIn cloudWatch, Path spool, Map<String, String> settings)
            throws Exception {
        Map<String, String> env = new HashMap<>(GatewayProcess.environment(cloudWatch.endpoint(),
                Map.of("SPOOL_DIR", spool.toString(), "MAX_SERIES", "0")));
        env.putAll(settings);
        return env;
    }

    /**
     * A run with CloudWatch down posts {@code count} points (1000 a request) and is stopped by SIGTERM: all of
     * them are written to the spool.
     */
    private static void spoolWhileCloudWatchIsDown(CloudWatchStandIn cloudWatch, Path spool, Poster poster,
                                                   String prefix, int count) throws Exception {
        Map<String, String> env = env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "3600000",
                "SHUTDOWN_TIMEOUT_MS", "5000"));
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            int port = gateway.awaitListening(START);
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                clients.add(Thread.ofPlatform().daemon().start(() -> {
                    for (int request = next.getAndIncrement(); request < count / 1000; request = next.getAndIncrement()) {
                        assertTrue(poster.post(port, Poster.names(prefix + request + "-", 1000)).accepted());
                    }
                }));
            }
            for (Thread client : clients) {
                client.join();
            }
            assertEquals(count, poster.accepted().size());
            gateway.signal("TERM");
            assertEquals(143, gateway.awaitExit(Duration.ofSeconds(60)), gateway.stderr());
            StopLine stop = StopLine.of(gateway, START);
            assertEquals(count, stop.spooled(), stop.line());
            assertTrue(stop.nothingLeftBehind(), stop.line());
        }
        assertTrue(SpoolContents.points(spool) >= count);
    }

    private static String deliverTheSpool(CloudWatchStandIn cloudWatch, Path spool, Set<String> expected)
            throws Exception {
        return deliverTheSpool(cloudWatch, spool, expected, env(cloudWatch, spool, Map.of("METRICS_FLUSH_INTERVAL", "200")));
    }

    /**
     * A run with healthy CloudWatch on {@code spool}: replays it, delivers {@code expected}, stops cleanly, and
     * leaves the spool empty. Returns its log.
     */
    private static String deliverTheSpool(CloudWatchStandIn cloudWatch, Path spool, Set<String> expected,
                                          Map<String, String> env) throws Exception {
        long onDisk = SpoolContents.points(spool);
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            gateway.awaitListening(START);
            Deliveries.await(cloudWatch, expected, Duration.ofSeconds(90));
            gateway.signal("TERM");
            assertEquals(143, gateway.awaitExit(EXIT), gateway.stderr());
            StopLine stop = StopLine.of(gateway, START);
            assertTrue(stop.everyPointPublished(), stop.line());
            assertEquals(onDisk, stop.replayed(), stop.line());
            assertEquals(List.of(), SpoolContents.segments(spool), "a clean stop leaves an empty spool");
            return gateway.stderr();
        }
    }

    private static Map<Path, byte[]> contents(Path dir) throws Exception {
        Map<Path, byte[]> contents = new HashMap<>();
        for (Path segment : SpoolContents.segments(dir)) {
            contents.put(segment, Files.readAllBytes(segment));
        }
        return contents;
    }
}
