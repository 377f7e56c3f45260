package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cwgateway.testsupport.Commands;
import com.cwgateway.testsupport.Commands.Result;
import com.cwgateway.testsupport.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifests of deploy/kubernetes/ as the Kubernetes schemas judge them, offline: deploy/kubernetes/check/
 * validate.mjs checks each document against kubernetes-models' validator for its apiVersion and kind, rejects
 * field names the schema does not have, and applies the gateway's rules (required tokens Secret, probes and
 * scrape on ADMIN_PORT, SHUTDOWN_DELAY_MS and a grace period that covers the shutdown). Needs node and npm
 * ({@code .ci/run} installs them); never skipped: without them it fails and says so.
 */
@Timeout(240)
class KubernetesManifestsTest {

    private static final Path MANIFESTS = Path.of("deploy/kubernetes");
    private static final Path CHECK = MANIFESTS.resolve("check");

    @TempDir
    Path dir;

    /** {@code npm ci} when node_modules is missing or older than the lockfile (npm keeps a copy of it there). */
    @BeforeAll
    @Timeout(300)
    static void installTheValidator() throws Exception {
        Result node = run(CHECK, 30, "node", "--version");
        assertEquals(0, node.exitCode(), "node --version: " + node.output());
        Path installed = CHECK.resolve("node_modules/.package-lock.json");
        Path lock = CHECK.resolve("package-lock.json");
        if (!Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) < 0) {
            Result ci = run(CHECK, 240, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
            assertEquals(0, ci.exitCode(), "npm ci in " + CHECK + ":\n" + ci.output());
        }
    }

    @Test
    void everyManifestIsValid() throws Exception {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(MANIFESTS)) {
            walk.filter(p -> !p.startsWith(CHECK) && p.toString().matches(".*\\.ya?ml"))
                    .forEach(p -> files.add(p.toString().replace('\\', '/')));
        }
        assertTrue(files.size() >= 6, "manifests found: " + files);

        Result result = validate();
        assertEquals(0, result.exitCode(), result.output());
        for (String file : files) {
            assertTrue(result.output().contains("\nok " + file + "#0 ") || result.output().startsWith("ok " + file + "#0 "),
                    file + " was not checked:\n" + result.output());
        }
        long documents = result.output().lines().filter(line -> line.startsWith("ok ")).count();
        assertTrue(result.output().contains("checked " + files.size() + " files, " + documents + " documents: 0 problems"),
                result.output());
    }

    @Test
    void misspelledFieldsWrongTypesAndAnOptionalSecretAreNamedByTheirPath() throws Exception {
        String deployment = Files.readString(MANIFESTS.resolve("deployment.yaml"));
        deployment = replace(deployment, "  replicas: 2\n", "  replica: 2\n");
        deployment = replace(deployment, "containerPort: 3000\n", "contianerPort: 3000\n");
        deployment = replace(deployment, "    periodSeconds: 5\n", "    periodSeconds: five\n");
        deployment = replace(deployment, "secretName: cloudwatch-metrics-gateway\n",
                "secretName: cloudwatch-metrics-gateway\n            optional: true\n");
        Path copy = Files.writeString(dir.resolve("deployment.yaml"), deployment);

        Result result = validate(copy.toString());
        assertEquals(1, result.exitCode(), result.output());
        String at = copy + "#0 Deployment cloudwatch-metrics-gateway: ";
        for (String problem : List.of(
                "spec.replica: unknown field",
                "spec.template.spec.containers[0].ports[0].contianerPort: unknown field",
                "spec.template.spec.containers[0].ports[0].containerPort: required field is missing",
                "spec.template.spec.containers[0].readinessProbe.periodSeconds: must be of type integer",
                "spec.template.spec.volumes[2].secret.optional: the tokens Secret must be required")) {
            assertTrue(result.output().contains(at + problem), "expected «" + problem + "» in:\n" + result.output());
        }
        assertTrue(result.output().contains("checked 1 files, 1 documents: 5 problems"), result.output());
    }

    @Test
    void aShortGracePeriodAndProbesOffTheAdminPortAreCaughtInEveryDocument() throws Exception {
        String statefulSet = Files.readString(MANIFESTS.resolve("statefulset/statefulset.yaml"));
        statefulSet = replace(statefulSet, "terminationGracePeriodSeconds: 40\n", "terminationGracePeriodSeconds: 30\n");
        statefulSet = replace(statefulSet, "path: /healthcheck\n              port: admin\n",
                "path: /healthcheck\n              port: http\n");
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  lables: {a: b}\ndata:\n  k: v\n";
        Path copy = Files.writeString(dir.resolve("all.yaml"), statefulSet + "---\n" + configMap + "---\n");

        Result result = validate(copy.toString());
        assertEquals(1, result.exitCode(), result.output());
        for (String problem : List.of(
                "#0 StatefulSet cloudwatch-metrics-gateway: spec.template.spec.terminationGracePeriodSeconds: 30 s "
                        + "does not cover SHUTDOWN_DELAY_MS + SHUTDOWN_TIMEOUT_MS (30000 ms)",
                "#0 StatefulSet cloudwatch-metrics-gateway: spec.template.spec.containers[0].livenessProbe.httpGet.port: "
                        + "must be ADMIN_PORT (9090), is \"http\"",
                "#1 ConfigMap extra: metadata.lables: unknown field")) {
            assertTrue(result.output().contains(copy + problem), "expected «" + problem + "» in:\n" + result.output());
        }
        assertTrue(result.output().contains("checked 1 files, 2 documents: 3 problems"), result.output());
    }

    /** The manifests leave the JVM's flags to the image: its ENTRYPOINT must exit on OutOfMemoryError. */
    @Test
    void theImageTheManifestsRunExitsOnOutOfMemory() throws Exception {
        assertTrue(GatewayProcess.dockerJvmFlags().contains("-XX:+ExitOnOutOfMemoryError"),
                "Dockerfile ENTRYPOINT: " + GatewayProcess.dockerJvmFlags());
    }

    private static String replace(String text, String from, String to) {
        assertTrue(text.contains(from), "the manifest no longer holds «" + from.strip() + "»: update this test");
        return text.replace(from, to);
    }

    private static Result validate(String... files) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
        for (String file : files) {
            command.add(Path.of(file).toAbsolutePath().toString());
        }
        Result result = run(CHECK, 60, command.toArray(String[]::new));
        // Paths outside the repository are printed as given to node: absolute. Show them as the test named them.
        String output = result.output();
        for (String file : files) {
            output = output.replace(Path.of(file).toAbsolutePath().toString(), file);
        }
        return new Result(result.exitCode(), output);
    }

    /** Runs a command in {@code directory}; a missing program fails the test with the reason, never skips it. */
    private static Result run(Path directory, long timeoutSeconds, String... command) throws Exception {
        try {
            return Commands.run(directory, Duration.ofSeconds(timeoutSeconds), command);
        } catch (Commands.TimedOut e) {
            return fail(e.getMessage());
        } catch (IOException e) {
            return fail(command[0] + " is needed to validate the Kubernetes manifests (" + e.getMessage()
                    + "): install Node.js and npm (Debian: apt-get install nodejs npm; .ci/run does)");
        }
    }
}
