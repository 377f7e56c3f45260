package com.cwgateway.wal;

import static com.cwgateway.wal.Segments.bytes;
import static com.cwgateway.wal.Segments.readClean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many callers at once share forces, and every record comes back exactly once, in each caller's order. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GroupCommitTest {

    private static final int THREADS = 64;
    private static final int RECORDS_EACH = 1000;

    @TempDir
    Path dir;

    @Test
    void sixtyFourVirtualThreadsShareForces() throws Exception {
        List<String> read;
        long forces;
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            runConcurrently(THREADS, thread -> {
                for (int i = 0; i < RECORDS_EACH; i++) {
                    wal.append(bytes(thread + ":" + i));
                }
            });
            forces = wal.forces();
            System.out.printf("group commit: %d records, %d forces (%.1f records a force), force time %.3f ms in all,"
                            + " %.3f ms a force%n", THREADS * RECORDS_EACH, forces,
                    (double) THREADS * RECORDS_EACH / forces, wal.forceNanos() / 1e6, wal.forceNanos() / 1e6 / forces);
            read = readClean(wal.rotate());
        }
        assertEquals(THREADS * RECORDS_EACH, read.size());
        Map<Integer, Integer> nextOf = new HashMap<>();
        for (String record : read) {
            String[] parts = record.split(":");
            int thread = Integer.parseInt(parts[0]);
            int expected = nextOf.getOrDefault(thread, 0);
            assertEquals(expected, Integer.parseInt(parts[1]), () -> "thread " + thread + " out of order or repeated");
            nextOf.put(thread, expected + 1);
        }
        assertTrue(forces * 4 <= THREADS * RECORDS_EACH, () -> forces + " forces for " + THREADS * RECORDS_EACH
                + " records: the callers did not share them");
    }

    @Test
    void appendsRacingWithRotateLandInAReturnedSegmentOrTheNextOne() throws Exception {
        List<String> read = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            CountDownLatch appending = new CountDownLatch(1);
            try (ExecutorService rotator = Executors.newSingleThreadExecutor()) {
                Future<?> rotations = rotator.submit(() -> {
                    appending.await();
                    for (int r = 0; r < 200; r++) {
                        List<Segment> sealed = wal.rotate();
                        read.addAll(readClean(sealed));
                        wal.delete(sealed);
                    }
                    return null;
                });
                runConcurrently(8, thread -> {
                    for (int i = 0; i < 500; i++) {
                        wal.append(bytes(thread + ":" + i));
                        appending.countDown();
                    }
                });
                rotations.get();
            }
            read.addAll(readClean(wal.rotate()));
        }
        assertEquals(8 * 500, read.size());
        assertEquals(8 * 500, read.stream().distinct().count());
    }

    @Test
    void closeFailsTheCallersStillWaitingAndLetsTheGroupUnderWayFinish() throws Exception {
        CountDownLatch committing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> committed = new ArrayList<>();
        GroupCommit<String> groupCommit = GroupCommit.start("test-appender", items -> {
            committed.add(items);
            committing.countDown();
            awaitUninterruptibly(release);
        });
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = callers.submit(() -> {
                groupCommit.submit("under way");
                return null;
            });
            committing.await();
            List<Future<?>> queued = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String item = "queued " + i;
                queued.add(callers.submit(() -> {
                    groupCommit.submit(item);
                    return null;
                }));
            }
            while (groupCommit.waiting() < queued.size()) {
                Thread.yield();
            }
            Future<?> closing = callers.submit(() -> {
                groupCommit.close();
                return null;
            });
            for (Future<?> caller : queued) {
                ExecutionException e = assertThrows(ExecutionException.class, caller::get);
                assertTrue(e.getCause() instanceof IOException && e.getCause().getMessage().contains("closed"),
                        e::toString);
            }
            release.countDown();
            first.get();
            closing.get();
        }
        assertEquals(List.of(List.of("under way")), committed);
        assertThrows(IOException.class, () -> groupCommit.submit("after close"));
    }

    @Test
    void aFailedGroupFailsOnlyItsOwnCallers() throws Exception {
        List<String> committed = new ArrayList<>();
        try (GroupCommit<String> groupCommit = GroupCommit.start("test-appender", items -> {
            if (items.contains("bad")) {
                throw new IOException("disk said no");
            }
            committed.addAll(items);
        })) {
            IOException e = assertThrows(IOException.class, () -> groupCommit.submit("bad"));
            assertTrue(e.getMessage().contains("disk said no"), e::getMessage);
            groupCommit.submit("good");
        }
        assertEquals(List.of("good"), committed);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep the group under way until the test releases it
            }
        }
    }

    @FunctionalInterface
    interface Appender {
        void run(int thread) throws IOException;
    }

    /** Starts {@code threads} virtual threads together and waits for all; rethrows the first failure. */
    static void runConcurrently(int threads, Appender appender) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(executor.submit(() -> {
                    start.await();
                    appender.run(thread);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get();
            }
        }
    }
}
