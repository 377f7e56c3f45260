package com.cwgateway.wal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link WalChild} in a JVM of its own: the same java and class path as the tests. Its output is read a
 * line at a time; stdout and stderr are merged, so a failure to start shows in the test's message.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader output;
    private final List<String> seen = new ArrayList<>();

    private ChildJvm(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(String mode, Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ChildJvm(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WalChild.class.getName(), mode, dir.toString()).redirectErrorStream(true).start());
    }

    long pid() {
        return process.pid();
    }

    /** The next line starting with {@code prefix}, without the prefix; fails when the child ends first. */
    String awaitLine(String prefix) throws IOException {
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length());
            }
            seen.add(line);
        }
        throw new IOException("child " + pid() + " ended without a line starting '" + prefix + "'; it said: " + seen);
    }

    /** Whatever the child printed until it ended. */
    List<String> remainingLines() throws IOException {
        return output.lines().toList();
    }

    /**
     * SIGKILL, as a crash or the OOM killer would end it, and wait for it to be gone. Through its handle:
     * {@link Process#destroyForcibly()} would also close the pipe, losing lines the child had already written.
     */
    void kill() throws InterruptedIOException {
        process.toHandle().destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for child " + pid() + " to die");
        }
    }

    @Override
    public void close() throws IOException {
        kill();
        output.close();
    }
}
