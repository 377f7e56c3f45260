package com.cwgateway.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Files renewed while the gateway runs (a TLS pair, a token file), read every {@link #CHECK_EVERY} on a daemon
 * thread and handed over together when any one's bytes change. Comparing bytes, not modification times, sees
 * every renewal: in place, by rename, or by a Kubernetes Secret's symlink swap.
 */
final class FileWatch implements AutoCloseable {

    static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    private final List<Path> files;
    private final Consumer<List<byte[]>> onChange;
    private final Consumer<Exception> onUnreadable;
    private final ScheduledExecutorService thread;
    private List<byte[]> seen;

    /** Watches {@code files}, whose bytes are {@code seen} now; {@code onUnreadable} gets why a check failed. */
    FileWatch(String name, List<Path> files, List<byte[]> seen, Consumer<List<byte[]>> onChange,
              Consumer<Exception> onUnreadable) {
        this.files = List.copyOf(files);
        this.seen = seen;
        this.onChange = onChange;
        this.onUnreadable = onUnreadable;
        this.thread = Executors.newSingleThreadScheduledExecutor(
                task -> Thread.ofPlatform().daemon().name(name).unstarted(task));
        thread.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** The bytes of every file, in order. */
    static List<byte[]> read(List<Path> files) throws IOException {
        List<byte[]> contents = new ArrayList<>(files.size());
        for (Path file : files) {
            contents.add(Files.readAllBytes(file));
        }
        return contents;
    }

    private void check() {
        List<byte[]> now;
        try {
            now = read(files);
        } catch (IOException | RuntimeException e) {
            onUnreadable.accept(e);
            return;
        }
        if (IntStream.range(0, now.size()).anyMatch(i -> !Arrays.equals(now.get(i), seen.get(i)))) {
            seen = now;
            onChange.accept(now);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
