package com.cwgateway.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A small tmpfs mounted on a test's directory, so the test meets a really full disk (ENOSPC) instead of a
 * simulated one. Mounting needs root, which the tests have here and in CI; where it is refused the caller
 * falls back to a stand-in and says so.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static Optional<Tmpfs> mount(Path mountPoint, String size) throws IOException {
        String on = mountPoint.toString();
        Commands.Result mount = Commands.run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", on);
        if (!mount.ok()) {
            System.out.println("cannot mount a tmpfs on " + on + " (" + mount.output() + "): using the stand-in");
            return Optional.empty();
        }
        return Optional.of(new Tmpfs(mountPoint));
    }

    @Override
    public void close() throws IOException {
        Commands.Result umount = Commands.run("umount", mountPoint.toString());
        if (!umount.ok() && !Commands.run("umount", "-l", mountPoint.toString()).ok()) {
            throw new IOException("cannot unmount " + mountPoint + ": " + umount.output());
        }
    }
}
