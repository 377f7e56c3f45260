package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default buffer budget keeps a small heap alive through an outage: the jar with the Dockerfile's flags,
 * a small heap and either collector, CloudWatch throttling every call, clients flooding it with new series.
 * They must get 503 BufferFull, never an out-of-memory exit; once CloudWatch is back, everything answered 202
 * arrives.
 */
class BufferBudgetIT {

    private static final Duration START = Duration.ofSeconds(20);
    private static final int CLIENTS = 3;
    private static final int SERIES_PER_REQUEST = 1000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ParameterizedTest(name = "-Xmx{0} {1}")
    @CsvSource({"64m, -XX:+UseSerialGC", "128m, -XX:+UseSerialGC", "64m, -XX:+UseG1GC", "128m, -XX:+UseG1GC"})
    void aFloodOfNewSeriesDuringAnOutageGets503AndEverythingAcceptedArrives(String heap, String collector)
            throws Exception {
        List<String> flags = new ArrayList<>();
        for (String flag : GatewayProcess.dockerJvmFlags()) {
            flags.add(flag.equals("-XX:+UseSerialGC") ? collector : flag);
        }
        flags.add("-Xmx" + heap);
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            cloudWatch.setDefaultResponder(call -> StandInResponse.throttling());
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(), Map.of(
                    // Attempts get 10 s: one that timed out on a busy machine after the stand-in took it would be
                    // retried and counted twice (delivery is at least once), and this test counts exactly.
                    "METRICS_FLUSH_INTERVAL", "1000", "CLOUDWATCH_TIMEOUT_MS", "30000", "MAX_SERIES", "0",
                    "SHUTDOWN_TIMEOUT_MS", "60000"));
            try (GatewayProcess gateway = GatewayProcess.start(flags, env)) {
                int port = gateway.awaitListening(START);

                Set<String> accepted = ConcurrentHashMap.newKeySet();
                AtomicInteger bufferFull = new AtomicInteger();
                List<Thread> clients = new ArrayList<>();
                List<Throwable> failures = new ArrayList<>();
                for (int client = 0; client < CLIENTS; client++) {
                    int id = client;
                    clients.add(Thread.ofPlatform().start(() -> {
                        try {
                            flood(port, id, accepted, bufferFull);
                        } catch (Throwable e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    }));
                }
                for (Thread client : clients) {
                    client.join();
                }
                assertEquals(List.of(), failures);
                assertEquals(CLIENTS, bufferFull.get(), "every client was told the buffer is full");
                assertFalse(accepted.isEmpty());
                assertTrue(gateway.alive(), gateway.stderr());
                assertFalse(gateway.stderr().contains("OutOfMemoryError"), gateway.stderr());
                assertEquals(200, get(port, "/healthcheck").statusCode());

                cloudWatch.setDefaultResponder(call -> StandInResponse.ok());
                gateway.signal("TERM"); // the last flush ignores the backoff the outage built up
                assertEquals(143, gateway.awaitExit(Duration.ofSeconds(60)), gateway.stderr());

                assertFalse(gateway.stderr().contains("OutOfMemoryError"), gateway.stderr());
                Set<String> delivered = new HashSet<>();
                double samples = 0;
                for (RecordedDatum datum : cloudWatch.acceptedDatums()) {
                    delivered.add(datum.dimensions().get("Series"));
                    samples += datum.value() != null ? 1 : datum.counts() == null ? datum.values().size()
                            : datum.counts().stream().mapToDouble(Double::doubleValue).sum();
                }
                assertEquals(accepted, delivered, "every series answered 202, and only those");
                assertEquals(accepted.size(), samples, () -> "each exactly once; the final flush:\n"
                        + gateway.stderr().lines().filter(line -> line.contains("flush") || line.contains("stopped"))
                        .toList());
            }
        }
    }

    /** Posts requests of 1000 new series until one is refused with 503 BufferFull; remembers those accepted. */
    private static void flood(int port, int client, Set<String> accepted, AtomicInteger bufferFull) throws Exception {
        for (int request = 0; ; request++) {
            List<String> series = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"Namespace\":\"Flood\",\"MetricData\":[");
            for (int i = 0; i < SERIES_PER_REQUEST; i++) {
                String name = "client-" + client + "-request-" + request + "-series-" + i;
                series.add(name);
                body.append(i == 0 ? "" : ",").append("{\"MetricName\":\"Requests\",\"Unit\":\"Count\","
                        + "\"Dimensions\":[{\"Name\":\"Series\",\"Value\":\"").append(name).append("\"}],\"Value\":1}");
            }
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(port, "/metrics"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body.append("]}").toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 202) {
                accepted.addAll(series);
            } else if (response.statusCode() == 503 && response.body().contains("\"BufferFull\"")) {
                assertTrue(response.headers().firstValue("Retry-After").isPresent(), response.headers().toString());
                bufferFull.incrementAndGet();
                return;
            } else if (response.statusCode() == 503 && response.body().contains("\"Busy\"")) {
                Thread.sleep(100); // request bodies' memory is bounded too; come back as told
            } else {
                throw new AssertionError(response.statusCode() + " " + response.body());
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
