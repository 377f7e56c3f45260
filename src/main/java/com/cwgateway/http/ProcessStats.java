package com.cwgateway.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The process's figures under the names every Prometheus client uses ({@code process_*}), so the usual
 * dashboards work; read from the JDK and {@code /proc/self}, -1 (left off the page) where they cannot be.
 */
record ProcessStats(double cpuSeconds, double startTimeSeconds, long residentBytes, long virtualBytes,
                    long openFds, long maxFds) {

    private static final Path PROC = Path.of("/proc/self");

    static ProcessStats now() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        List<String> status = lines("status");
        return new ProcessStats(
                info.totalCpuDuration().map(ProcessStats::seconds).orElse(-1.0),
                info.startInstant().map(ProcessStats::seconds).orElse(-1.0),
                figure(status, "VmRSS:", ProcessStats::kilobytes),
                figure(status, "VmSize:", ProcessStats::kilobytes),
                countOpenFds(),
                figure(lines("limits"), "Max open files", ProcessStats::softLimit));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** The lines of a file of /proc/self, read once per scrape; none where there is no such file. */
    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(PROC.resolve(file));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** What {@code parse} reads from the rest of the line that starts with {@code name}, or -1. */
    private static long figure(List<String> lines, String name, ToLongFunction<String> parse) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                try {
                    return parse.applyAsLong(line.substring(name.length()).trim());
                } catch (NumberFormatException e) {
                    return -1; // not a number, as "unlimited"
                }
            }
        }
        return -1;
    }

    /** A figure of /proc/self/status ({@code 123456 kB}) in bytes. */
    private static long kilobytes(String value) {
        return Long.parseLong(value.replace("kB", "").trim()) * 1024;
    }

    /** The soft limit of a line of /proc/self/limits (for open files: {@code ulimit -n}). */
    private static long softLimit(String limits) {
        return Long.parseLong(limits.split("\\s+")[0]);
    }

    private static long countOpenFds() {
        try (Stream<Path> fds = Files.list(PROC.resolve("fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
