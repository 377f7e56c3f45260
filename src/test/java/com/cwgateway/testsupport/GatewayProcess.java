package com.cwgateway.testsupport;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar run as users run it: {@code java <the Dockerfile's JVM flags> -jar
 * target/aws-cloudwatch-metrics-http-gateway.jar}, with a clean environment: only the variables given, plus AWS settings that keep the SDK away from the
 * user's own files and from instance metadata.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final ProcessOutput stdout;
    private final ProcessOutput stderr;

    private GatewayProcess(Process process) {
        this.process = process;
        this.stdout = ProcessOutput.of(process.getInputStream());
        this.stderr = ProcessOutput.of(process.getErrorStream());
    }

    /** The jar built by {@code mvn package}; failsafe passes its path. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("gateway.jar", "target/aws-cloudwatch-metrics-http-gateway.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: process tests run after `mvn package`");
        }
        return jar;
    }

    /** The JDK running the tests, so the jar runs on the same (>= 21) Java. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Environment for a gateway that publishes to {@code cloudWatch}, with {@code settings} on top. */
    public static Map<String, String> environment(URI cloudWatch, Map<String, String> settings) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("SPOOL_DIR", Files.createTempDirectory("gateway-spool").toString());
        env.put("PORT", "0");
        env.put("HOST", "127.0.0.1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AWS_ENDPOINT_URL_CLOUDWATCH", cloudWatch.toString());
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.putAll(settings);
        return env;
    }

    /**
     * The JVM flags of the Dockerfile's {@code ENTRYPOINT [".../bin/java", flags..., "-jar", jar]}, so the jar runs
     * here as it runs in the image (no Docker engine is needed to check that part), less the class-data
     * archive, which only the image has.
     */
    public static List<String> dockerJvmFlags() throws IOException {
        List<String> entrypoint = DockerfileCommands.execForm("ENTRYPOINT");
        if (!entrypoint.getFirst().endsWith("/bin/java") || entrypoint.indexOf("-jar") != entrypoint.size() - 2) {
            throw new IllegalStateException("unexpected ENTRYPOINT form: " + entrypoint);
        }
        // The class-data archive is built inside the image for the image's own JVM; here there is none.
        return entrypoint.subList(1, entrypoint.size() - 2).stream()
                .filter(flag -> !flag.startsWith("-XX:SharedArchiveFile=")).toList();
    }

    /** Starts the jar as the Docker image does, with {@code args}, in a clean {@code environment}. */
    public static GatewayProcess start(Map<String, String> environment, String... args) throws IOException {
        return start(dockerJvmFlags(), environment, args);
    }

    /** Starts the jar with these JVM flags instead of the Dockerfile's. */
    public static GatewayProcess start(List<String> jvmFlags, Map<String, String> environment, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return startCommand(command, environment);
    }

    /**
     * Starts {@code command} (a launcher of the packaged gateway, say) in a clean {@code environment}: this
     * process's PATH unless the environment names one.
     */
    public static GatewayProcess startCommand(List<String> command, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        return new GatewayProcess(builder.start());
    }

    /** Waits for the "listening" log line and returns the port it names. */
    public int awaitListening(Duration timeout) throws InterruptedException {
        Matcher matcher = stderr.await(LISTENING, timeout);
        if (matcher == null) {
            throw new AssertionError("no 'listening' line within " + timeout + "; stderr:\n" + stderr());
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** The process id, as another gateway's error about the spool's lock names it. */
    public long pid() {
        return process.pid();
    }

    /** Standard error: the log. */
    public ProcessOutput stderrLines() {
        return stderr;
    }

    /** Standard output: the SINK=log lines, --help and --version. */
    public ProcessOutput stdoutLines() {
        return stdout;
    }

    /** Sends a signal ("TERM", "INT") to the process, as systemd, Docker or Ctrl-C would. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " failed");
        }
    }

    /** Waits for the process to exit and returns its exit code; fails the test if it does not. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the gateway did not exit within " + timeout + "; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String stdout() {
        return stdout.toString();
    }

    public String stderr() {
        return stderr.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
