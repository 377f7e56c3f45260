package com.cwgateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * The packaged jar run as users run it, {@code java -jar target/aws-cloudwatch-metrics-http-gateway.jar},
 * with a clean environment: only the variables given, plus AWS settings that keep the SDK away from the
 * user's own files and from instance metadata.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    private final Process process;
    private final List<String> stdout = new ArrayList<>();
    private final List<String> stderr = new ArrayList<>();

    private GatewayProcess(Process process) {
        this.process = process;
        collect(process.getInputStream(), stdout);
        collect(process.getErrorStream(), stderr);
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
    public static Map<String, String> environment(URI cloudWatch, Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
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

    public static GatewayProcess start(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        return new GatewayProcess(builder.start());
    }

    private static void collect(InputStream stream, List<String> lines) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Waits for the "listening" log line and returns the port it names. */
    public int awaitListening(Duration timeout) throws InterruptedException {
        Matcher matcher = awaitLine(stderr, LISTENING, timeout);
        if (matcher == null) {
            throw new AssertionError("no 'listening' line within " + timeout + "; stderr:\n" + stderr());
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** Waits for a line of standard error matching {@code pattern}; null when none came in time. */
    public Matcher awaitStderr(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLine(stderr, pattern, timeout);
    }

    /** Waits for a line of standard output matching {@code pattern}; null when none came in time. */
    public Matcher awaitStdout(Pattern pattern, Duration timeout) throws InterruptedException {
        return awaitLine(stdout, pattern, timeout);
    }

    private static Matcher awaitLine(List<String> lines, Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int checked = 0;
            while (true) {
                for (; checked < lines.size(); checked++) {
                    Matcher matcher = pattern.matcher(lines.get(checked));
                    if (matcher.find()) {
                        return matcher;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
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

    public String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    public String stderr() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
