package com.cwgateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lines a process writes to one stream, collected as they come, with waits instead of sleeps. */
public final class ProcessOutput {

    private final List<String> lines = new ArrayList<>();

    private ProcessOutput() {}

    public static ProcessOutput of(InputStream stream) {
        ProcessOutput output = new ProcessOutput();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    output.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return output;
    }

    private synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    /** The first line matching {@code pattern}, waiting for it up to {@code timeout}; null if none came. */
    public synchronized Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                Matcher matcher = pattern.matcher(lines.get(checked));
                if (matcher.find()) {
                    return matcher;
                }
            }
            if (!waitUntil(deadline)) {
                return null;
            }
        }
    }

    /** Waits until at least {@code count} lines came; false if they did not in time. */
    public synchronized boolean awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lines.size() < count) {
            if (!waitUntil(deadline)) {
                return false;
            }
        }
        return true;
    }

    private boolean waitUntil(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        wait(Math.max(1, left / 1_000_000));
        return true;
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }
}
