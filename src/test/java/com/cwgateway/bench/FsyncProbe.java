package com.cwgateway.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The fsync ceiling for {@code make bench}: how long one write plus {@code FileChannel.force(false)}
 * (fdatasync) takes on the disk that holds the spool, one after another on one thread, with nothing else
 * writing. Two ways, each for the given time:
 * <ul>
 *   <li>{@code append}: each write goes at the end of a new file, so the file grows and every force must also
 *       commit its new size to the file system's journal; the spool's log writes this way;</li>
 *   <li>{@code overwrite}: the same writes into a file written whole and forced beforehand, so a force has only
 *       data to write.</li>
 * </ul>
 * Prints one JSON object: forces, mean, p50, p99 and max of write + force in microseconds, for each.
 *
 * <p>Run: {@code java -cp target/test-classes com.cwgateway.bench.FsyncProbe DIR [seconds] [bytes]}; the file
 * it writes in {@code DIR} is deleted at the end.
 */
public final class FsyncProbe {

    private FsyncProbe() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int bytes = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-probe.tmp");
        try {
            String append = measure("append", file, seconds, bytes, false);
            String overwrite = measure("overwrite", file, seconds, bytes, true);
            System.out.println("{\"bytes\":" + bytes + "," + append + "," + overwrite + "}");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String measure(String name, Path file, double seconds, int bytes, boolean preallocate)
            throws IOException {
        Files.deleteIfExists(file);
        long[] nanos = new long[1 << 20];
        int n = 0;
        ByteBuffer record = ByteBuffer.allocateDirect(bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (preallocate) {
                // Room for every write a fast disk could make in the time (64 MiB at most), written and forced.
                long size = Math.min(64L << 20, (long) bytes * 20_000);
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                for (long at = 0; at < size; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                    at += channel.write(zeros, at);
                }
                channel.force(true);
            }
            long capacity = preallocate ? channel.size() : Long.MAX_VALUE;
            long position = 0;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long now;
            do {
                long started = System.nanoTime();
                record.clear();
                if (position + bytes > capacity) {
                    position = 0;
                }
                while (record.hasRemaining()) {
                    position += channel.write(record, position);
                }
                channel.force(false);
                now = System.nanoTime();
                nanos[n++] = now - started;
            } while (now < end && n < nanos.length);
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        double sum = 0;
        for (long x : sorted) {
            sum += x;
        }
        return String.format(Locale.ROOT,
                "\"%s\":{\"forces\":%d,\"meanUs\":%.0f,\"p50Us\":%.0f,\"p99Us\":%.0f,\"maxUs\":%.0f}",
                name, n, sum / n / 1e3, sorted[n / 2] / 1e3, sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e3,
                sorted[n - 1] / 1e3);
    }
}
