package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.config.Setting;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged jar, started as a process: arguments, settings, start-up, and shutdown on signals. */
class GatewayProcessIT {

    private static final Duration START = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void helpListsEverySettingAndExitsZero() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of(), "--help")) {
            assertEquals(0, gateway.awaitExit(START));
            for (Setting setting : Setting.values()) {
                assertTrue(gateway.stdout().contains(setting.name()), setting + " missing from --help");
            }
        }
    }

    @Test
    void versionComesFromTheBuild() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of(), "--version")) {
            assertEquals(0, gateway.awaitExit(START));
            List<String> lines = gateway.stdout().lines().toList();
            assertEquals(3, lines.size(), gateway.stdout());
            assertTrue(lines.get(0).matches("aws-cloudwatch-metrics-http-gateway \\d+\\.\\d+\\.\\d+"), lines.get(0));
            assertTrue(lines.get(1).matches("commit \\S+, built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), lines.get(1));
            assertTrue(lines.get(2).startsWith("Java " + Runtime.version().feature()), lines.get(2));
        }
    }

    @Test
    void selfTestChecksAnInstallationWithoutAws() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("AWS_EC2_METADATA_DISABLED", "true"), "--self-test")) {
            assertEquals(0, gateway.awaitExit(START), gateway.stderr());
            assertTrue(gateway.stdout().startsWith("self-test passed"), gateway.stdout());
        }
    }

    /** --self-test (the image's AppCDS training run) logs like the gateway: in LOG_FORMAT, at LOG_LEVEL. */
    @Test
    void everyModeOfTheJarLogsInTheFormatAndAtTheLevelAsked() throws Exception {
        try (GatewayProcess json = GatewayProcess.start(Map.of("LOG_FORMAT", "json"), "--self-test")) {
            assertEquals(0, json.awaitExit(START), json.stderr());
            List<String> lines = json.stderr().lines().toList();
            assertFalse(lines.isEmpty());
            for (String line : lines) {
                assertTrue(line.startsWith("{\"time\":\"") && line.endsWith("}"), line);
            }
        }
        try (GatewayProcess quiet = GatewayProcess.start(Map.of("LOG_LEVEL", "warning"), "--self-test")) {
            assertEquals(0, quiet.awaitExit(START), quiet.stderr());
            assertEquals("", quiet.stderr(), "no INFO line at LOG_LEVEL=warning");
        }
    }

    /** --probe, the image's health check: 0 while the gateway on PORT (or ADMIN_PORT) is ready, 1 otherwise. */
    @Test
    void probeExitsZeroWhileTheGatewayIsReadyAndOneWhenNothingAnswers() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess gateway = GatewayProcess.start(GatewayProcess.environment(cloudWatch.endpoint(),
                     Map.of("ADMIN_PORT", "0")))) {
            gateway.awaitListening(START);
            java.util.regex.Matcher admin = java.util.regex.Pattern
                    .compile("probes and the scrape on http://[^:]+:(\\d+)").matcher(gateway.stderr());
            assertTrue(admin.find(), gateway.stderr());
            try (GatewayProcess probe = GatewayProcess.start(Map.of("ADMIN_PORT", admin.group(1)), "--probe")) {
                assertEquals(0, probe.awaitExit(START), probe.stderr());
                assertTrue(probe.stdout().contains("answered 200"), probe.stdout());
            }
        }
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (GatewayProcess probe = GatewayProcess.start(Map.of("PORT", String.valueOf(closedPort)), "--probe")) {
            assertEquals(1, probe.awaitExit(START), probe.stderr());
        }
    }

    @Test
    void unknownArgumentExitsTwoWithUsage() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of(), "--port=3000")) {
            assertEquals(2, gateway.awaitExit(START));
            assertTrue(gateway.stderr().contains("unknown argument: --port=3000"), gateway.stderr());
            assertTrue(gateway.stderr().contains("Usage:"), gateway.stderr());
        }
    }

    @Test
    void badSettingsExitTwoListingEachOne() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("PORT", "70000", "METRICS_FLUSH_INTERVAL", "soon"))) {
            assertEquals(2, gateway.awaitExit(START));
            assertTrue(gateway.stderr().contains("PORT='70000': must be a whole number from 0 to 65535"), gateway.stderr());
            assertTrue(gateway.stderr().contains("METRICS_FLUSH_INTERVAL='soon'"), gateway.stderr());
        }
    }

    @Test
    void fatalStartupMessagesAreWrittenAsLogFormatAsks() throws Exception {
        Map<String, Map<String, String>> cases = Map.of(
                "a bad setting", Map.of("LOG_FORMAT", "json", "PORT", "70000"),
                "no region", Map.of("LOG_FORMAT", "json", "PORT", "0", "AWS_CONFIG_FILE", "/nonexistent/config",
                        "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", "AWS_EC2_METADATA_DISABLED", "true"));
        for (Map.Entry<String, Map<String, String>> fatal : cases.entrySet()) {
            try (GatewayProcess gateway = GatewayProcess.start(fatal.getValue())) {
                assertEquals(2, gateway.awaitExit(START), fatal.getKey());
                List<String> lines = gateway.stderr().lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
                assertFalse(lines.isEmpty(), fatal.getKey());
                for (String line : lines) {
                    assertTrue(line.startsWith("{") && line.endsWith("}"), fatal.getKey() + ": not JSON: " + line);
                }
                assertTrue(lines.getLast().contains("\"level\":\"SEVERE\""), fatal.getKey() + ": " + lines.getLast());
            }
        }
    }

    @Test
    void noRegionExitsTwoSayingHowToSetOne() throws Exception {
        Map<String, String> env = Map.of("AWS_CONFIG_FILE", "/nonexistent/config", "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/credentials", "AWS_EC2_METADATA_DISABLED", "true", "PORT", "0");
        try (GatewayProcess gateway = GatewayProcess.start(env)) {
            assertEquals(2, gateway.awaitExit(START));
            assertTrue(gateway.stderr().contains("AWS_REGION"), gateway.stderr());
            assertFalse(gateway.stderr().contains("listening on"), "it listened, so it could answer 202 before "
                    + "exiting:\n" + gateway.stderr());
        }
    }

    @Test
    void aTakenPortExitsOneAndLeavesTheSpoolForTheNextStart() throws Exception {
        Path spool = Files.createTempDirectory("spool");
        Path waiting = spool.resolve("spool-1-1.jsonl");
        Files.writeString(waiting, "{\"Namespace\":\"Spooled\",\"MetricData\":[{\"MetricName\":\"kept\",\"Value\":1}]}\n");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess first = GatewayProcess.start(GatewayProcess.environment(cloudWatch.endpoint(), Map.of()))) {
            int port = first.awaitListening(START);
            try (GatewayProcess second = GatewayProcess.start(GatewayProcess.environment(cloudWatch.endpoint(),
                    Map.of("PORT", String.valueOf(port), "SPOOL_DIR", spool.toString())))) {
                assertEquals(1, second.awaitExit(START));
                assertTrue(second.stderr().contains("cannot listen on 127.0.0.1:" + port), second.stderr());
            }
            assertTrue(Files.exists(waiting), "the spool was replayed by a start that could not listen");
        }
    }

    @Test
    void sigtermDuringAFlushDeliversEverythingAccepted() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            // Every call takes 1 s, so the signal arrives while a flush is in progress.
            cloudWatch.setDefaultResponder(call -> StandInResponse.delayed(Duration.ofSeconds(1), StandInResponse.ok()));
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(),
                    Map.of("METRICS_FLUSH_INTERVAL", "300"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                Set<String> sent = new HashSet<>();
                sent.addAll(post(port, "first", 1500));
                assertNotNull(cloudWatch.takeCall(Duration.ofSeconds(10)), "no flush started");
                sent.addAll(post(port, "second", 700)); // buffered while the first flush waits on CloudWatch

                gateway.signal("TERM");

                assertEquals(143, gateway.awaitExit(Duration.ofSeconds(30)), gateway.stderr());
                Set<String> delivered = new HashSet<>();
                for (RecordedDatum datum : cloudWatch.acceptedDatums()) {
                    assertTrue(delivered.add(datum.metricName()), "delivered twice: " + datum.metricName());
                }
                assertEquals(sent, delivered);
                assertTrue(gateway.stderr().contains("every accepted point was published"), gateway.stderr());
            }
        }
    }

    @Test
    void sigintAlsoFlushesBeforeExit() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(),
                    Map.of("METRICS_FLUSH_INTERVAL", "3600000"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                int port = gateway.awaitListening(START);
                Set<String> sent = new HashSet<>(post(port, "interrupted", 10));

                gateway.signal("INT");

                assertEquals(130, gateway.awaitExit(Duration.ofSeconds(30)), gateway.stderr());
                Set<String> delivered = new HashSet<>();
                cloudWatch.acceptedDatums().forEach(d -> delivered.add(d.metricName()));
                assertEquals(sent, delivered);
            }
        }
    }

    @Test
    void sigtermWithCloudWatchDownSpoolsAndTheNextStartDeliversEverything() throws Exception {
        Path spool = Files.createTempDirectory("spool");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(), Map.of(
                    "METRICS_FLUSH_INTERVAL", "3600000", "SHUTDOWN_TIMEOUT_MS", "2000", "SPOOL_DIR", spool.toString()));
            Set<String> sent = new HashSet<>();
            try (GatewayProcess first = GatewayProcess.start(env)) {
                int port = first.awaitListening(START);
                sent.addAll(post(port, "outage", 1200));

                first.signal("TERM");

                assertEquals(143, first.awaitExit(Duration.ofSeconds(30)), first.stderr());
                assertTrue(first.stderr().contains("wrote them to " + spool), first.stderr());
                assertTrue(first.stderr().contains("spooled=1200"), first.stderr());
            }
            assertEquals(1, spoolFiles(spool, ".wal").size());
            assertTrue(cloudWatch.acceptedDatums().isEmpty());

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            try (GatewayProcess second = GatewayProcess.start(env)) {
                second.awaitListening(START);
                assertNotNull(second.stderrLines().await(Pattern.compile("replayed 1200 points from " + spool),
                        START), second.stderr());

                second.signal("TERM");

                assertEquals(143, second.awaitExit(Duration.ofSeconds(30)), second.stderr());
            }
            Set<String> delivered = new HashSet<>();
            for (RecordedDatum datum : cloudWatch.acceptedDatums()) {
                assertTrue(delivered.add(datum.metricName()), "delivered twice: " + datum.metricName());
            }
            assertEquals(sent, delivered);
            assertEquals(List.of(), spoolFiles(spool, ".wal"));
        }
    }

    @Test
    void aCorruptRecordInTheSpoolIsSkippedWithAWarningAndEveryOtherOneDelivered() throws Exception {
        Path spool = Files.createTempDirectory("spool");
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(), Map.of(
                    "METRICS_FLUSH_INTERVAL", "3600000", "SPOOL_DIR", spool.toString()));
            Set<String> kept = new HashSet<>();
            try (GatewayProcess first = GatewayProcess.start(env)) {
                int port = first.awaitListening(START);
                kept.addAll(post(port, "before", 100));
                post(port, "damaged", 100);
                kept.addAll(post(port, "after", 100));
                first.signal("KILL"); // every 202 was forced to the spool first
                first.awaitExit(Duration.ofSeconds(10));
            }
            Path segment = spoolFiles(spool, ".wal").getFirst();
            byte[] bytes = Files.readAllBytes(segment);
            bytes[bytes.length / 2] ^= 0x20; // inside the second of three records of equal size
            Files.write(segment, bytes);

            cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
            Map<String, String> healed = new HashMap<>(env);
            healed.put("METRICS_FLUSH_INTERVAL", "300");
            try (GatewayProcess second = GatewayProcess.start(healed)) {
                second.awaitListening(START);
                assertNotNull(second.stderrLines().await(Pattern.compile("bytes of corrupt records"), START),
                        second.stderr());
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (cloudWatch.acceptedDatums().size() < kept.size() && System.nanoTime() < deadline) {
                    cloudWatch.takeCall(Duration.ofMillis(500));
                }
            }
            Set<String> delivered = new HashSet<>();
            cloudWatch.acceptedDatums().forEach(datum -> delivered.add(datum.metricName()));
            assertEquals(kept, delivered);
        }
    }

    private static List<Path> spoolFiles(Path dir, String suffix) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(suffix)).toList();
        }
    }

    @Test
    void logSinkPrintsEachCallThatWouldBeMadeAndNeedsNoAws() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(Map.of("PORT", "0", "HOST", "127.0.0.1", "SINK", "log",
                "METRICS_FLUSH_INTERVAL", "300", "AWS_EC2_METADATA_DISABLED", "true"))) {
            int port = gateway.awaitListening(START);
            List<String> sent = post(port, "dry", 3);

            assertNotNull(gateway.stdoutLines().await(Pattern.compile("PutMetricData"), Duration.ofSeconds(10)));
            JsonNode line = JSON.readTree(gateway.stdoutLines().lines().getFirst());
            assertEquals("Process", line.path("PutMetricData").path("Namespace").asText());
            JsonNode datums = line.path("PutMetricData").path("MetricData");
            assertEquals(sent, List.of(datums.get(0).path("MetricName").asText(), datums.get(1).path("MetricName").asText(),
                    datums.get(2).path("MetricName").asText()));
            assertEquals("Count", datums.get(2).path("Unit").asText());
            assertEquals(2.0, datums.get(2).path("Value").asDouble());
            assertTrue(Instant.parse(datums.get(0).path("Timestamp").asText()).isBefore(Instant.now()));
            assertTrue(line.path("bytesAtMost").asInt() > 100, line.toString());
            assertTrue(gateway.stderr().contains("sink log"), gateway.stderr());
        }
    }

    @Test
    void startupSummaryNamesSinkRegionEndpointCredentialSourceAndNoSecrets() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(),
                    Map.of("AWS_SECRET_ACCESS_KEY", "s3cr3t-never-logged", "DEBUG", "true"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                gateway.awaitListening(START);

                assertNotNull(gateway.stderrLines().await(Pattern.compile(
                        "AWS credentials: found in environment variables"), START), gateway.stderr());
                String summary = gateway.stderrLines().await(Pattern.compile(".*listening on.*"), START).group();
                assertTrue(summary.matches(".*aws-cloudwatch-metrics-http-gateway \\d+\\.\\d+\\.\\d+ started in \\d+ ms.*"),
                        summary);
                assertTrue(summary.contains("; sink cloudwatch;"), summary);
                assertNotNull(gateway.stderrLines().await(Pattern.compile(Pattern.quote(
                        "sink cloudwatch (region us-east-1, endpoint " + cloudWatch.endpoint() + ")")), START),
                        gateway.stderr());
                assertTrue(summary.contains("flush every 60000 ms"), summary);
                assertTrue(summary.contains("limits: body 4194304 bytes"), summary);
                assertTrue(summary.contains("log level debug"), summary);
                assertTrue(!gateway.stderr().contains("a full buffer"), "no heap warning with the Dockerfile's flags here");
                gateway.signal("TERM");
                gateway.awaitExit(Duration.ofSeconds(30));
                assertTrue(!gateway.stderr().contains("s3cr3t-never-logged"), gateway.stderr());
            }
        }
    }

    @Test
    void missingCredentialsWarnWithTheFix() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> env = new HashMap<>(GatewayProcess.environment(cloudWatch.endpoint(), Map.of()));
            env.remove("AWS_ACCESS_KEY_ID");
            env.remove("AWS_SECRET_ACCESS_KEY");
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                gateway.awaitListening(START);

                assertNotNull(gateway.stderrLines().await(Pattern.compile(
                        "WARNING AWS credentials: none found.*AWS_ACCESS_KEY_ID.*instance role"), START), gateway.stderr());
            }
        }
    }

    @Test
    void aBufferTakingMoreThanHalfTheHeapWarnsWithTheFix() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(), Map.of(
                    "MAX_BUFFER_BYTES", "100000000", "JAVA_TOOL_OPTIONS", "-Xmx128m"));
            try (GatewayProcess gateway = GatewayProcess.start(env)) {
                gateway.awaitListening(START);

                Matcher warning = gateway.stderrLines().await(Pattern.compile("WARNING MAX_BUFFER_BYTES=100000000 is "
                        + "more than half of the JVM's maximum heap of (\\d+) MB.*-Xmx.*leave MAX_BUFFER_BYTES unset"), START);
                assertNotNull(warning, gateway.stderr());
                assertTrue(Long.parseLong(warning.group(1)) <= 128, warning.group());
            }
        }
    }

    /** Posts {@code count} datums with distinct names in one /batch request; returns the names. */
    private static List<String> post(int port, String prefix, int count) throws Exception {
        List<String> names = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> datums = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
            datums.add("{\"MetricName\":\"" + prefix + i + "\",\"Value\":" + i + ",\"Unit\":\"Count\"}");
            if (datums.size() == 500 || i == count - 1) { // CloudWatch's 1000-datum limit is per input
                inputs.add("{\"Namespace\":\"Process\",\"MetricData\":[" + String.join(",", datums) + "]}");
                datums.clear();
            }
        }
        String body = "[" + String.join(",", inputs) + "]";
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/batch"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return names;
    }
}
