package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.Dist;
import com.cwgateway.testsupport.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball of {@code make package}, unpacked anywhere and run through a link to its launcher, as on a machine
 * without Java: the PATH holds only the tools the launcher uses (sh, readlink, dirname), none of them java.
 */
@Timeout(90)
class TarballIT {

    @TempDir
    Path dir;

    @Test
    void unpackedAnywhereItRunsOnItsOwnRuntimeAndDelivers() throws Exception {
        Dist.run("tar", "-xzf", Dist.file("-linux-x64.tar.gz").toString(), "-C", dir.toString());
        Path home = dir.resolve(Dist.NAME + "-" + Dist.version());
        Path link = dir.resolve("links").resolve(Dist.NAME);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(home.resolve("bin").resolve(Dist.NAME)));
        String path = Dist.toolsOnly(dir.resolve("tools"), "sh", "readlink", "dirname").toString();

        try (GatewayProcess version = GatewayProcess.startCommand(List.of(link.toString(), "--version"),
                Map.of("PATH", path))) {
            assertEquals(0, version.awaitExit(Duration.ofSeconds(20)), version.stderr());
            List<String> lines = version.stdout().lines().toList();
            assertEquals(Dist.NAME + " " + Dist.version(), lines.getFirst());
            assertTrue(lines.getLast().endsWith(" in " + home.resolve("runtime").toRealPath()), lines.getLast());
        }

        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess gateway = GatewayProcess.startCommand(List.of(link.toString()),
                     GatewayProcess.environment(cloudWatch.endpoint(), Map.of("PATH", path)))) {
            gateway.awaitListening(Duration.ofSeconds(20));
            String java = ProcessHandle.of(gateway.pid()).orElseThrow().info().command().orElseThrow();
            assertEquals(home.resolve("runtime/bin/java").toRealPath().toString(), java);
            List<String> jvmFlags = List.of(ProcessHandle.of(gateway.pid()).orElseThrow().info().arguments()
                    .orElseThrow());
            assertEquals(makefileJavaOpts(), jvmFlags.subList(0, jvmFlags.indexOf("-jar")));
            Dist.deliversWhatItAccepts(gateway, cloudWatch);
        }
    }

    @Test
    void javaOptsReplaceTheLaunchersDefaultFlags() throws Exception {
        String path = Dist.toolsOnly(dir.resolve("tools"), "sh", "readlink", "dirname").toString();
        try (GatewayProcess gateway = GatewayProcess.startCommand(
                List.of(Dist.layout().resolve("bin").resolve(Dist.NAME).toString(), "--version"),
                Map.of("PATH", path, "JAVA_OPTS", "-XX:+PrintCommandLineFlags -Xmx64m"))) {
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(20)), gateway.stderr());
            assertTrue(gateway.stdout().contains("-XX:MaxHeapSize=67108864"), gateway.stdout());
            // Flags the JVM never sets by itself (it may choose SerialGC on a small machine).
            assertFalse(gateway.stdout().contains("SurvivorRatio") || gateway.stdout().contains("ExitOnOutOfMemoryError"),
                    gateway.stdout());
        }
    }

    /** The flags of {@code JAVA_OPTS ?= ...} in the Makefile: the launcher's defaults. */
    private static List<String> makefileJavaOpts() throws Exception {
        return Files.readAllLines(Path.of("Makefile")).stream().filter(line -> line.startsWith("JAVA_OPTS ?= "))
                .findFirst().map(line -> List.of(line.substring("JAVA_OPTS ?= ".length()).split(" ")))
                .orElseThrow(() -> new AssertionError("the Makefile has no JAVA_OPTS ?= line"));
    }
}
