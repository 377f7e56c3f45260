package com.cwgateway.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Another process for the tests, started by {@link ChildJvm}, one mode per argument:
 * <ul>
 *   <li>{@code hold DIR}: opens the log, prints {@code locked <pid> DIR}, holds it until stdin closes;</li>
 *   <li>{@code try DIR}: prints {@code opened DIR} when it can open the log, else {@code refused <message>};</li>
 *   <li>{@code append DIR}: appends from 16 virtual threads and prints {@code acked <id>} once a record is
 *       forced, until it is killed.</li>
 * </ul>
 */
public final class WalChild {

    private WalChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> hold(dir);
            case "try" -> tryOpen(dir);
            case "append" -> appendUntilKilled(dir);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void hold(Path dir) throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            say("locked " + ProcessHandle.current().pid() + " " + wal.dir());
            System.in.readAllBytes();
        }
    }

    private static void tryOpen(Path dir) throws IOException {
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            say("opened " + wal.dir());
        } catch (SpoolDirException e) {
            say("refused " + e.getMessage());
        }
    }

    private static void appendUntilKilled(Path dir) throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir);
        AtomicLong ids = new AtomicLong();
        String run = Long.toString(ProcessHandle.current().pid());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                threads.submit(() -> {
                    while (true) {
                        String id = run + "-" + ids.incrementAndGet();
                        wal.append(Segments.bytes(id + " " + "p".repeat(Math.floorMod(id.hashCode(), 200))));
                        say("acked " + id);
                    }
                });
            }
        }
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
