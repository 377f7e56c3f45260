package com.cwgateway.http;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The process's own figures under the names every Prometheus client library uses ({@code process_*}), so
 * the usual dashboards and alerts work: CPU time, start time, memory, file descriptors. Read from the JDK
 * and, on Linux, {@code /proc/self}; a figure that cannot be read is -1 and left off the page.
 */
record ProcessStats(double cpuSeconds, double startTimeSeconds, long residentBytes, long virtualBytes,
                    long openFds, long maxFds) {

    private static final Path PROC = Path.of("/proc/self");

    static ProcessStats now() {
        ProcessHandle.Info info = ProcessHandle.current().info();
        return new ProcessStats(
                info.totalCpuDuration().map(ProcessStats::seconds).orElse(-1.0),
                info.startInstant().map(ProcessStats::seconds).orElse(-1.0),
                statusBytes("VmRSS:"),
                statusBytes("VmSize:"),
                countOpenFds(),
                readMaxFds());
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    /** A line of /proc/self/status ({@code VmRSS:   123456 kB}) in bytes, or -1. */
    private static long statusBytes(String field) {
        try {
            for (String line : Files.readAllLines(PROC.resolve("status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static long countOpenFds() {
        long count = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve("fd"))) {
            for (Path ignored : fds) {
                count++;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return count - 1; // the directory stream's own descriptor
    }

    /** The soft limit of open files ({@code ulimit -n}), from /proc/self/limits, or -1. */
    private static long readMaxFds() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return fields[0].equals("unlimited") ? -1 : Long.parseLong(fields[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
