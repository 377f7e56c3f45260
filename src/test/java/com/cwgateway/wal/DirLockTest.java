package com.cwgateway.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One gateway per spool directory: a second one, in this JVM or another, is refused and told who holds it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirLockTest {

    @TempDir
    Path dir;

    private static final String ME = "pid " + ProcessHandle.current().pid() + " on host ";

    @Test
    void aSecondOpenInThisJvmIsRefusedAndTheFirstKeepsItsLock() throws Exception {
        try (WriteAheadLog first = WriteAheadLog.open(dir)) {
            String message = SpoolDirTest.refused(dir);
            assertTrue(message.contains("in use by another gateway: " + ME), message);
            assertTrue(message.contains("this same process"), message);
            // A POSIX lock drops when any descriptor of its file closes in the process: the refused open
            // must not have opened the lock file, or another process could now take the directory. (For the
            // same reason this test reads the lock file only once the log is closed.)
            try (ChildJvm other = ChildJvm.start("try", dir)) {
                String refused = other.awaitLine("refused ");
                assertTrue(refused.contains(dir.toString()) && refused.contains(ME), refused);
            }
            first.append(Segments.bytes("still mine"));
        }
        assertTrue(Files.readString(dir.resolve(DirLock.FILE_NAME)).startsWith(ME));
        try (ChildJvm other = ChildJvm.start("try", dir)) {
            other.awaitLine("opened");
        }
    }

    @Test
    void anotherProcessHoldingTheDirectoryIsNamedAndAKillFreesIt() throws Exception {
        try (ChildJvm holder = ChildJvm.start("hold", dir)) {
            long pid = Long.parseLong(holder.awaitLine("locked ").split(" ")[0]);
            assertEquals(holder.pid(), pid);
            String message = SpoolDirTest.refused(dir);
            assertTrue(message.contains("in use by another gateway: pid " + pid + " on host "), message);
            assertTrue(message.contains("stop that gateway"), message);
            holder.kill();
        }
        try (WriteAheadLog wal = WriteAheadLog.open(dir)) {
            wal.append(Segments.bytes("after the holder was killed"));
        }
        assertTrue(Files.readString(dir.resolve(DirLock.FILE_NAME)).startsWith(ME));
    }
}
