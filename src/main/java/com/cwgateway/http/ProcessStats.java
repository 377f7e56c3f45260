package com.cwgateway.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
                kilobytes(status, "VmRSS:"),
                kilobytes(status, "VmSize:"),
                countOpenFds(),
                maxFds(lines("limits")));
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

    /** What follows {@code name} on the line that starts with it, trimmed, or null. */
    private static String field(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).trim();
            }
        }
        return null;
    }

    /** A line of /proc/self/status ({@code VmRSS:   123456 kB}) in bytes, or -1. */
    private static long kilobytes(List<String> status, String name) {
        String value = field(status, name);
        try {
            return value == null ? -1 : Long.parseLong(value.replace("kB", "").trim()) * 1024;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long countOpenFds() {
        try (Stream<Path> fds = Files.list(PROC.resolve("fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit of open files ({@code ulimit -n}), from /proc/self/limits, or -1. */
    private static long maxFds(List<String> limits) {
        String value = field(limits, "Max open files");
        try {
            return value == null ? -1 : Long.parseLong(value.split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return -1; // "unlimited"
        }
    }
}
