package com.cwgateway.testsupport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a system command for a test (mount, chattr, promtool, node) and says how it went. */
public final class Commands {

    private Commands() {}

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** A command killed for taking longer than it was given. */
    public static final class TimedOut extends IOException {
        TimedOut(String message) {
            super(message);
        }
    }

    public static Result run(String... command) throws IOException {
        return run(null, null, command);
    }

    /**
     * Runs {@code command} in {@code directory} (null: the test's own), its output and errors together; one
     * that takes longer than {@code timeout} (null: no limit) is killed and reported with what it printed.
     */
    public static Result run(Path directory, Duration timeout, String... command) throws IOException {
        Path log = Files.createTempFile("command", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            try {
                if (timeout == null) {
                    process.waitFor();
                } else if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new TimedOut(String.join(" ", command) + " took more than " + timeout.toSeconds()
                            + " s:\n" + Files.readString(log, StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
