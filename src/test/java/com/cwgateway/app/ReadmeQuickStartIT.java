package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.ProcessOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's quick start as written: its {@code make run} command, its curl commands, and compares
 * what comes out with what the README shows. Only the port differs (a free one instead of 3000), so a
 * busy port 3000 cannot fail the test, and the timestamps, which are the time of the run.
 */
class ReadmeQuickStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FENCE = Pattern.compile("```(\\w+)\\n(.*?)```", Pattern.DOTALL);

    @Test
    void quickStartWorksAsWritten() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("## Quick start");
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> sh = blocks(section, "sh");
        List<String> json = blocks(section, "json");
        String runCommand = sh.get(0).strip();
        List<String> postCommands = sh.get(1).strip().lines().toList();
        String mistakeCommand = sh.get(2).strip();
        assertTrue(runCommand.endsWith("make run"), runCommand);
        assertTrue(section.contains("`{\"accepted\":1}`, then `{\"accepted\":2}`"));

        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c", runCommand)
                .redirectOutput(ProcessBuilder.Redirect.PIPE);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("MAKE") || name.equals("MFLAGS"));
        env.put("PORT", String.valueOf(port));
        Process gateway = builder.start();
        ProcessOutput stdout = ProcessOutput.of(gateway.getInputStream());
        ProcessOutput stderr = ProcessOutput.of(gateway.getErrorStream());
        try {
            assertNotNull(stderr.await(Pattern.compile("listening on http://0\\.0\\.0\\.0:" + port), Duration.ofSeconds(60)),
                    "the gateway did not start:\n" + stderr);

            List<String> answers = new ArrayList<>();
            for (String command : postCommands) {
                answers.add(shell(command.replace("localhost:3000", "localhost:" + port)));
            }
            assertEquals(List.of("{\"accepted\":1}", "{\"accepted\":2}"), answers);

            List<String> expected = json.get(0).strip().lines().toList();
            int expectedDatums = 0;
            for (String line : expected) {
                expectedDatums += JSON.readTree(line).path("PutMetricData").path("MetricData").size();
            }
            assertTrue(stdout.awaitCount(expected.size(), Duration.ofSeconds(20)), "no flush output:\n" + stdout);
            List<String> printed = stdout.lines();
            int printedDatums = 0;
            for (String line : printed) {
                printedDatums += JSON.readTree(line).path("PutMetricData").path("MetricData").size();
            }
            assertEquals(expectedDatums, printedDatums, String.join("\n", printed));
            assertEquals(withoutTimestamps(expected), withoutTimestamps(printed));

            String mistake = shell(mistakeCommand.replace("localhost:3000", "localhost:" + port));
            assertEquals(JSON.readTree(json.get(1)), JSON.readTree(mistake));

            new ProcessBuilder("kill", "-INT", "--", "-" + gateway.pid()).inheritIO().start().waitFor();
            assertTrue(gateway.waitFor(30, TimeUnit.SECONDS), "Ctrl-C did not stop it:\n" + stderr);
            assertNotNull(stderr.await(Pattern.compile("stopped in \\d+ ms; every accepted point was published"),
                    Duration.ofSeconds(5)), stderr.toString());
        } finally {
            gateway.descendants().forEach(ProcessHandle::destroyForcibly);
            gateway.destroyForcibly();
        }
    }

    private static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = FENCE.matcher(markdown);
        while (matcher.find()) {
            if (matcher.group(1).equals(language)) {
                blocks.add(matcher.group(2));
            }
        }
        return blocks;
    }

    private static List<JsonNode> withoutTimestamps(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            node.path("PutMetricData").path("MetricData").forEach(datum -> ((ObjectNode) datum).remove("Timestamp"));
            nodes.add(node);
        }
        return nodes;
    }

    private static String shell(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output.strip();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
