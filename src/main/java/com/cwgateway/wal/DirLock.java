package com.cwgateway.wal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An exclusive lock on {@code dir/lock}, so two gateways never append to one log; the holder (pid, host, start
 * time) is written into the file, so the second gateway's error can name the first.
 *
 * <p>It is a POSIX record lock: closing <em>any</em> descriptor of the file in this process drops it. So this JVM
 * never opens the lock file of a directory it holds ({@link #HELD_HERE} answers instead), and nothing else in the
 * gateway's process may open it, not even to read it; other processes may.
 */
final class DirLock implements AutoCloseable {

    static final String FILE_NAME = "lock";

    /** Directories (real paths) locked by this JVM, with the holder text; guarded by itself. */
    private static final Map<Path, String> HELD_HERE = new HashMap<>();
    /** Channels that must stay open, because closing them would drop another part of this JVM's lock. */
    private static final List<FileChannel> NEVER_CLOSED = new ArrayList<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static DirLock acquire(Path dir) throws SpoolDirException {
        synchronized (HELD_HERE) {
            Path key = realPath(dir);
            String holder = HELD_HERE.get(key);
            if (holder != null) {
                throw inUse(dir, holder + " (this same process)");
            }
            FileChannel channel = open(dir, key.resolve(FILE_NAME));
            try {
                FileLock lock = tryLock(dir, channel);
                if (lock == null) {
                    String other = readHolder(channel);
                    channel.close();
                    throw inUse(dir, other);
                }
                String me = describeThisProcess();
                writeHolder(channel, me);
                HELD_HERE.put(key, me);
                return new DirLock(key, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new SpoolDirException("spool directory " + dir + ": cannot lock or write " + FILE_NAME + " (" + e
                        + "): make the directory and that file writable by the gateway's user", e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD_HERE) {
            try {
                lock.release();
            } finally {
                HELD_HERE.remove(key);
                channel.close();
            }
        }
    }

    private static Path realPath(Path dir) throws SpoolDirException {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            throw new SpoolDirException("spool directory " + dir + ": cannot resolve its path (" + e
                    + "): check that it exists and can be read by the gateway's user", e);
        }
    }

    private static FileChannel open(Path dir, Path file) throws SpoolDirException {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new SpoolDirException("spool directory " + dir + ": cannot open " + file + " (" + e
                    + "): make it writable by the gateway's user", e);
        }
    }

    /** Null when another process holds it. */
    private static FileLock tryLock(Path dir, FileChannel channel) throws IOException, SpoolDirException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Some other code in this JVM locked the file; closing this channel would drop its lock.
            String other = readHolder(channel);
            NEVER_CLOSED.add(channel);
            throw inUse(dir, other + " (this same process)");
        }
    }

    private static SpoolDirException inUse(Path dir, String holder) {
        return new SpoolDirException("spool directory " + dir + " is in use by another gateway: " + holder
                + "; stop that gateway or give this one another spool directory (a lock left by a process that"
                + " is gone is free again: there is nothing to delete)");
    }

    private static String readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
            // read what the holder wrote, up to 1 KiB
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "a process that has not written its name yet" : text;
    }

    private static void writeHolder(FileChannel channel, String holder) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8));
        channel.truncate(0);
        while (bytes.hasRemaining()) {
            channel.write(bytes, bytes.position());
        }
        channel.force(false);
    }

    static String describeThisProcess() {
        ProcessHandle me = ProcessHandle.current();
        Instant started = me.info().startInstant().orElse(Instant.now());
        return "pid " + me.pid() + " on host " + hostName() + ", started " + started;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // already failing; the first error is the one to report
        }
    }
}
