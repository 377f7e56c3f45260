package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.Dist;
import com.cwgateway.testsupport.DockerfileCommands;
import com.cwgateway.testsupport.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's commands without Docker (none runs here): the Dockerfile's AppCDS training RUN, ENTRYPOINT and
 * HEALTHCHECK, read from it and run as written, on the installation that {@code make package} laid out and the
 * image copies to /opt/aws-cloudwatch-metrics-http-gateway. So a path or flag there that the package does not
 * have fails here. Not covered: the base image itself (its glibc, its nonroot user).
 */
@Timeout(90)
class DockerfileIT {

    private static final String OPT = "/opt/" + Dist.NAME;
    private static final String TRAINED = "/tmp/gateway.jsa";
    private static final String ARCHIVE = OPT + "/lib/gateway.jsa";

    @TempDir
    Path dir;

    @Test
    void theTrainedArchiveEntrypointAndHealthCheckRunOnThePackagedRuntime() throws Exception {
        Path archive = dir.resolve("gateway.jsa");
        List<String> train = DockerfileCommands.execForm("RUN");
        assertTrue(train.contains("-XX:ArchiveClassesAtExit=" + TRAINED), "the RUN that trains AppCDS: " + train);
        try (GatewayProcess training = GatewayProcess.startCommand(inPackage(train, archive), Map.of())) {
            assertEquals(0, training.awaitExit(Duration.ofSeconds(30)), training.stderr());
            assertTrue(training.stdout().startsWith("self-test passed"), training.stdout());
        }
        assertTrue(Files.size(archive) > 0, "no archive written");

        List<String> entrypoint = inPackage(DockerfileCommands.execForm("ENTRYPOINT"), archive);
        assertTrue(entrypoint.contains("-XX:SharedArchiveFile=" + archive), entrypoint.toString());
        // The archive as the image's JVM maps it, but required (-Xshare:on) and with its warnings on: a stale
        // or mismatched one fails here instead of silently slowing the start.
        List<String> version = new ArrayList<>(entrypoint);
        version.remove("-Xlog:cds=off");
        version.add(version.indexOf("-jar"), "-Xshare:on");
        version.add("--version");
        try (GatewayProcess gateway = GatewayProcess.startCommand(version, Map.of())) {
            assertEquals(0, gateway.awaitExit(Duration.ofSeconds(20)), gateway.stderr());
            assertEquals(Dist.NAME + " " + Dist.version(), gateway.stdout().lines().findFirst().orElse(""));
            assertFalse(gateway.stderr().contains("cds"), gateway.stderr());
        }

        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess gateway = GatewayProcess.startCommand(entrypoint,
                     GatewayProcess.environment(cloudWatch.endpoint(), Map.of()))) {
            int port = gateway.awaitListening(Duration.ofSeconds(20));
            List<String> healthCheck = inPackage(DockerfileCommands.execForm("CMD"), archive);
            assertEquals("--probe", healthCheck.getLast(), healthCheck.toString());
            try (GatewayProcess probe = GatewayProcess.startCommand(healthCheck, Map.of("PORT", String.valueOf(port)))) {
                assertEquals(0, probe.awaitExit(Duration.ofSeconds(20)), probe.stderr());
            }
            Dist.deliversWhatItAccepts(gateway, cloudWatch);
        }
    }

    /** make docker-pins, with a stand-in for crane: every FROM gets the digest, and a second run replaces it. */
    @Test
    void dockerPinsPinsEveryBaseImageAndRepinsIt() throws Exception {
        Path dockerfile = dir.resolve("Dockerfile");
        Files.copy(Path.of("Dockerfile"), dockerfile);
        Path tools = Dist.toolsOnly(dir.resolve("tools"), "sh", "sed", "sort");
        for (String digest : List.of("sha256:0123abcd", "sha256:4567ef01")) {
            Files.writeString(tools.resolve("crane"), "#!/bin/sh\necho " + digest + "\n");
            tools.resolve("crane").toFile().setExecutable(true);
            try (GatewayProcess pins = GatewayProcess.startCommand(List.of(
                    Path.of("deploy/package/docker-pins.sh").toAbsolutePath().toString(), dockerfile.toString()),
                    Map.of("PATH", tools.toString()))) {
                assertEquals(0, pins.awaitExit(Duration.ofSeconds(20)), pins.stderr());
            }
            List<String> from = Files.readAllLines(dockerfile).stream().filter(line -> line.startsWith("FROM ")).toList();
            assertEquals(3, from.size(), from.toString());
            for (String line : from) {
                String image = line.split(" ")[1];
                assertTrue(image.endsWith("@" + digest) && image.indexOf('@') == image.lastIndexOf('@'), line);
            }
        }
    }

    /** The command with the image's paths moved to the laid-out installation and the archive to {@code archive}. */
    private static List<String> inPackage(List<String> command, Path archive) {
        String layout = Dist.layout().toAbsolutePath().toString();
        List<String> moved = new ArrayList<>();
        for (String part : command) {
            String replaced = part.replace(TRAINED, archive.toString()).replace(ARCHIVE, archive.toString())
                    .replace(OPT, layout);
            moved.add(replaced);
        }
        assertTrue(Files.isExecutable(Path.of(moved.getFirst())), "not in the package: " + command.getFirst());
        return moved;
    }
}
