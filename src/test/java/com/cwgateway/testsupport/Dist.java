package com.cwgateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code deploy/package/build.sh} made before the process tests ({@code mvn verify} runs it in
 * pre-integration-test; failsafe passes the directory): the tarball, the .deb, and the installation laid out.
 */
public final class Dist {

    public static final String NAME = "aws-cloudwatch-metrics-http-gateway";
    private static final Duration START = Duration.ofSeconds(20);

    private Dist() {}

    public static Path dir() {
        Path dir = Path.of(System.getProperty("gateway.dist", "target/dist"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: run `make package` (mvn verify makes it first)");
        }
        return dir;
    }

    /** The one file in {@link #dir()} whose name ends with {@code suffix}. */
    public static Path file(String suffix) throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            List<Path> found = files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), "files *" + suffix + " in " + dir() + ": " + found);
            return found.getFirst();
        }
    }

    /** The installation laid out by build.sh: bin/, lib/ and runtime/. */
    public static Path layout() {
        return dir().resolve(NAME);
    }

    /** The version in the tarball's name, {@code NAME-<version>-linux-x64.tar.gz}. */
    public static String version() throws IOException {
        String tarball = file("-linux-x64.tar.gz").getFileName().toString();
        return tarball.substring(NAME.length() + 1, tarball.length() - "-linux-x64.tar.gz".length());
    }

    /**
     * A directory for PATH holding links to only {@code tools}, found in /usr/bin or /bin; it fails when one is
     * missing, and when {@code java} would be found through it.
     */
    public static Path toolsOnly(Path dir, String... tools) throws IOException {
        Files.createDirectories(dir);
        for (String tool : tools) {
            Path found = Stream.of(Path.of("/usr/bin", tool), Path.of("/bin", tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError(tool + " is not installed in /usr/bin or /bin"));
            Files.createSymbolicLink(dir.resolve(tool), found);
        }
        assertTrue(Files.notExists(dir.resolve("java")), "java on the test's PATH");
        return dir;
    }

    /** Runs a command for a test, failing with its output unless it exits 0. */
    public static String run(String... command) throws IOException {
        Commands.Result result = Commands.run(command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ":\n" + result.output());
        return result.output();
    }

    /**
     * Waits for {@code gateway} to listen, posts three metrics, stops it with SIGTERM (its final flush) and
     * checks that {@code cloudWatch} got each of them once.
     */
    public static void deliversWhatItAccepts(GatewayProcess gateway, CloudWatchStandIn cloudWatch) throws Exception {
        int port = gateway.awaitListening(START);
        Poster poster = new Poster("Packaged");
        List<String> names = Poster.names("packaged", 3);
        assertTrue(poster.post(port, names).accepted(), gateway.stderr());
        gateway.signal("TERM");
        assertEquals(143, gateway.awaitExit(Duration.ofSeconds(30)), gateway.stderr());
        Set<String> delivered = new HashSet<>();
        cloudWatch.acceptedDatums().forEach(datum -> delivered.add(datum.metricName()));
        assertEquals(Set.copyOf(names), delivered, gateway.stderr());
    }
}
