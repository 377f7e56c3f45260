package com.cwgateway.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Segment files in a directory: {@code segment-<16-digit sequence>-<8 random hex>.wal}. The sequence orders
 * them; the random part keeps two writers that share a directory without a working lock (two hosts on a
 * network file system, two containers) from ever writing into the same file.
 */
final class SegmentFiles {

    private static final Pattern NAME = Pattern.compile("segment-(\\d{16})-[0-9a-f]{8}\\.wal");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SegmentFiles() {}

    /** A fresh name for segment {@code sequence}; the caller creates it exclusively and draws again if taken. */
    static Path newFile(Path dir, long sequence) {
        return dir.resolve(String.format(Locale.ROOT, "segment-%016d-%08x.wal", sequence, RANDOM.nextInt()));
    }

    /** The segments in {@code dir}, oldest first; other files are left alone. */
    static List<Segment> list(Path dir) throws IOException {
        List<Segment> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "segment-*.wal")) {
            for (Path file : files) {
                Matcher name = NAME.matcher(file.getFileName().toString());
                if (name.matches() && Files.isRegularFile(file)) {
                    segments.add(new Segment(file, Long.parseLong(name.group(1)), Files.size(file)));
                }
            }
        }
        segments.sort(Comparator.comparingLong(Segment::sequence).thenComparing(s -> s.file().getFileName()));
        return segments;
    }

    /** Forces the directory, so a file's creation or deletion survives a crash; where unsupported, it does nothing. */
    static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // this file system cannot sync a directory: the data is still safe, only its name less so
        }
    }
}
