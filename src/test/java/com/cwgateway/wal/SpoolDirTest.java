package com.cwgateway.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.Commands;
import com.cwgateway.testsupport.Tmpfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A spool directory that cannot hold the log stops open with a message naming the directory and the fix. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpoolDirTest {

    @TempDir
    Path tmp;

    @Test
    void aMissingDirectoryIsCreated() throws Exception {
        Path dir = tmp.resolve("a/b/spool");
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            wal.append(Segments.bytes("x"));
            assertEquals(dir, wal.dir());
        }
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void aRegularFileInItsPlaceIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("spool"), "not a directory");
        String message = refused(file);
        assertTrue(message.contains("is a regular file: remove it"), message);
    }

    @Test
    void aMissingDirectoryUnderARegularFileCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "");
        String message = refused(file.resolve("spool"));
        assertTrue(message.contains("cannot be created"), message);
        assertTrue(message.contains("writable by the gateway's user"), message);
    }

    /**
     * Permission bits do not stop root, who runs these tests here and in CI. So when a write still succeeds
     * after chmod 555 the directory is made immutable ({@code chattr +i}), which stops root too; were chattr
     * missing, the test fails instead of skipping.
     */
    @Test
    void aReadOnlyDirectoryIsRefusedEvenForRoot() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean immutable = false;
        try {
            if (writableDespiteBits(dir)) {
                Commands.Result chattr = Commands.run("chattr", "+i", dir.toString());
                assertTrue(chattr.ok(), "mode bits do not stop this user, and chattr +i failed: " + chattr.output());
                immutable = true;
            }
            String message = refused(dir);
            assertTrue(message.contains("is not writable"), message);
            assertTrue(message.contains("make it writable by the gateway's user"), message);
        } finally {
            if (immutable) {
                Commands.run("chattr", "-i", dir.toString());
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void tooLittleFreeSpaceIsRefused() throws Exception {
        Path mountPoint = Files.createDirectory(tmp.resolve("small"));
        Optional<Tmpfs> tmpfs = Tmpfs.mount(mountPoint, "1m");
        try {
            // 1 MiB is below the 16 MiB the log asks for; without a mount, ask for more than any disk has.
            long needed = tmpfs.isPresent() ? SpoolDir.DEFAULT_MIN_USABLE_BYTES : Long.MAX_VALUE;
            SpoolDirException e = assertThrows(SpoolDirException.class,
                    () -> WriteAheadLog.open(mountPoint, needed, SegmentFile.FILES).close());
            assertTrue(e.getMessage().contains(mountPoint.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("free disk space"), e.getMessage());
        } finally {
            if (tmpfs.isPresent()) {
                tmpfs.get().close();
            }
        }
    }

    private static boolean writableDespiteBits(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ""));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The message of the SpoolDirException that opening {@code dir} throws; it must name {@code dir}. */
    static String refused(Path dir) {
        SpoolDirException e = assertThrows(SpoolDirException.class, () -> WriteAheadLog.open(dir).close());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        return e.getMessage();
    }

}
