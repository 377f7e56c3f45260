package com.cwgateway.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks at start-up that a directory can hold the log, so a bad one stops the gateway at once instead of failing
 * the first request: one method per rule, each failing with the directory, what is wrong and the fix.
 */
final class SpoolDir {

    /** Below this much usable space the log would fill the disk within minutes of a publishing outage. */
    static final long DEFAULT_MIN_USABLE_BYTES = 16L << 20;

    private SpoolDir() {}

    static void check(Path dir, long minUsableBytes) throws SpoolDirException {
        notSomethingElse(dir);
        createIfMissing(dir);
        writable(dir);
        enoughFreeSpace(dir, minUsableBytes);
    }

    private static void notSomethingElse(Path dir) throws SpoolDirException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            String what = Files.isRegularFile(dir) ? "a regular file" : "not a directory";
            throw new SpoolDirException("spool directory " + dir + " is " + what
                    + ": remove it, or choose another path for the spool directory");
        }
    }

    private static void createIfMissing(Path dir) throws SpoolDirException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SpoolDirException("spool directory " + dir + " is missing and cannot be created (" + e
                    + "): create it and make it writable by the gateway's user (" + user() + ")", e);
        }
    }

    /** A real write: permission bits say nothing for root, and nothing about read-only mounts or immutable dirs. */
    private static void writable(Path dir) throws SpoolDirException {
        try {
            Files.delete(Files.createTempFile(dir, ".write-probe-", ".tmp"));
        } catch (IOException e) {
            throw new SpoolDirException("spool directory " + dir + " is not writable (" + e
                    + "): make it writable by the gateway's user (" + user() + ")", e);
        }
    }

    private static void enoughFreeSpace(Path dir, long minUsableBytes) throws SpoolDirException {
        long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new SpoolDirException("spool directory " + dir + ": cannot tell its free space (" + e
                    + "): check the file system it is on", e);
        }
        if (usable < minUsableBytes) {
            throw new SpoolDirException("spool directory " + dir + " has " + usable + " bytes usable, less than the "
                    + minUsableBytes + " the write-ahead log needs: free disk space, or choose a spool directory"
                    + " on a larger file system");
        }
    }

    private static String user() {
        return System.getProperty("user.name", "unknown");
    }
}
