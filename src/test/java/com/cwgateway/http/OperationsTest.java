package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CollidingStrings;
import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.LogRecorder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Safe to expose and easy to operate: tokens, namespaces, the series cap, guards, /ready, GET /metrics. */
class OperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "t0ken-for-tests-0123456789";
    private static final String SEED = IngestEndToEndTest.SEED_METRICS;

    private static HttpResponse<String> post(GatewayUnderTest gateway, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return gateway.send(request);
    }

    @Test
    void bearerTokensGuardEverythingButTheProbesAndPreflight() throws Exception {
        Path file = Files.createTempFile("tokens", ".txt");
        Files.writeString(file, "# the second client\nfrom-a-file-0123456789abcdef\n");
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("AUTH_TOKENS", TOKEN + ",other-token-0123456789",
                "AUTH_TOKENS_FILE", file.toString()))) {
            HttpResponse<String> none = post(gateway, "/metrics", SEED, null);
            assertEquals(401, none.statusCode());
            assertEquals("Bearer realm=\"aws-cloudwatch-metrics-http-gateway\"",
                    none.headers().firstValue("WWW-Authenticate").orElseThrow());
            assertEquals("Unauthorized", JSON.readTree(none.body()).path("error").asText());
            assertFalse(none.body().contains(TOKEN));
            assertEquals(401, post(gateway, "/metrics", SEED, TOKEN + "x").statusCode());
            assertEquals(401, post(gateway, "/batch", "[" + SEED + "]", "t0ken").statusCode());
            assertEquals(401, gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET()).statusCode());

            assertEquals(202, post(gateway, "/metrics", SEED, TOKEN).statusCode());
            assertEquals(202, post(gateway, "/batch", "[" + SEED + "]", "from-a-file-0123456789abcdef").statusCode());
            assertEquals(200, gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck")).GET()).statusCode());
            assertEquals(200, gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET()).statusCode());
            assertEquals(204, gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())).statusCode());
        }
    }

    @Test
    void namespacesOutsideTheAllowListAreRefusedByName() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("ALLOWED_NAMESPACES", "MyApp, Shop/*"))) {
            assertEquals(202, post(gateway, "/metrics", SEED, null).statusCode());
            assertEquals(202, post(gateway, "/metrics", SEED.replace("MyApp", "Shop/Cart"), null).statusCode());

            HttpResponse<String> refused = post(gateway, "/batch", "[" + SEED + "," + SEED.replace("MyApp", "Other")
                    + "," + SEED.replace("MyApp", "ShopX") + "]", null);

            assertEquals(403, refused.statusCode());
            assertEquals("NamespaceNotAllowed", JSON.readTree(refused.body()).path("error").asText());
            assertTrue(refused.body().contains("Other, ShopX"), refused.body());
        }
    }

    @Test
    void theSeriesCapRefusesARequestThatWouldCreateTooManyMetrics() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_SERIES", "100",
                "METRICS_FLUSH_INTERVAL", "3600000"))) {
            List<String> datums = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                datums.add("{\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"RequestId\",\"Value\":\"r" + i
                        + "\"}],\"Value\":1}");
            }
            String sixty = "{\"Namespace\":\"App\",\"MetricData\":[" + String.join(",", datums) + "]}";
            assertEquals(202, post(gateway, "/metrics", sixty, null).statusCode());
            assertEquals(202, post(gateway, "/metrics", sixty, null).statusCode(), "the same 60 series again");

            HttpResponse<String> refused = post(gateway, "/metrics", sixty.replace("\"r", "\"q"), null);

            assertEquals(429, refused.statusCode());
            assertEquals("TooManySeries", JSON.readTree(refused.body()).path("error").asText());
            assertTrue(refused.body().contains("100 distinct series"), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        }
    }

    @Test
    void theSeriesCapCannotBeWalkedAroundWithValuesThatShareAHash() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_SERIES", "10",
                "METRICS_FLUSH_INTERVAL", "3600000"))) {
            List<String> datums = new ArrayList<>();
            for (String value : CollidingStrings.of(100)) {
                datums.add("{\"MetricName\":\"Latency\",\"Dimensions\":[{\"Name\":\"Id\",\"Value\":\"" + value
                        + "\"}],\"Value\":1}");
            }
            String hundred = "{\"Namespace\":\"App\",\"MetricData\":[" + String.join(",", datums) + "]}";

            HttpResponse<String> refused = post(gateway, "/metrics", hundred, null);

            assertEquals(429, refused.statusCode(), refused.body());
            assertEquals("TooManySeries", JSON.readTree(refused.body()).path("error").asText());
        }
    }

    /**
     * Posts {@code body} to /metrics until it is answered with {@code status}, for at most 1,000 tries (10 s and
     * more: on a busy machine a slow request made just before may take a while to be taken up).
     */
    private static HttpResponse<String> firstAnswered(int status, GatewayUnderTest gateway, String body)
            throws Exception {
        return firstAnswered(status, gateway, body, null);
    }

    private static HttpResponse<String> firstAnswered(int status, GatewayUnderTest gateway, String body, String token)
            throws Exception {
        for (int attempt = 0; attempt < 1000; attempt++) {
            HttpResponse<String> response = post(gateway, "/metrics", body, token);
            if (response.statusCode() == status) {
                return response;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no answer with status " + status + " in 1,000 tries");
    }

    @Test
    void pastMaxConcurrentRequestsTheRestAreToldToComeBack() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_CONCURRENT_REQUESTS", "1"));
             Socket slow = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            OutputStream out = slow.getOutputStream();
            out.write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The slow request holds the only slot while its body trickles in.
            HttpResponse<String> busy = firstAnswered(503, gateway, SEED);
            assertEquals("Busy", JSON.readTree(busy.body()).path("error").asText());
            assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
            // The probes and the scrape do not wait behind uploads.
            for (String probe : List.of("/healthcheck", "/ready", "/metrics")) {
                assertEquals(200, gateway.send(HttpRequest.newBuilder(gateway.uri(probe)).GET()).statusCode(), probe);
            }
        }
    }

    @Test
    void pastTheBodyMemoryBudgetRequestsAreToldToComeBackAndNothingOfThemIsKept() throws Exception {
        StringBuilder datums = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            datums.append(i == 0 ? "" : ",").append("{\"MetricName\":\"Budget\",\"Value\":").append(i).append('}');
        }
        String large = "{\"Namespace\":\"Ops\",\"MetricData\":[" + datums + "]}"; // about 13 KB
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_BODY_MEMORY_BYTES", "20000"))) {
            try (Socket slow = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 10000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                // The slow request holds 10,000 of the 20,000 bytes while its body trickles in.
                HttpResponse<String> busy = firstAnswered(503, gateway, large);
                assertEquals("Busy", JSON.readTree(busy.body()).path("error").asText());
                assertTrue(busy.body().contains("MAX_BODY_MEMORY_BYTES"), busy.body());
                assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
                assertEquals(202, post(gateway, "/metrics", SEED, null).statusCode(), "a small body still fits");
            }
            // The slow client gone, its reservation is returned and the large body fits again.
            firstAnswered(202, gateway, large);
            long published = 0;
            for (long deadline = System.nanoTime() + 5_000_000_000L; published < 400 && System.nanoTime() < deadline; ) {
                Thread.sleep(50);
                published = gateway.cloudWatch.acceptedDatums().stream().filter(d -> d.metricName().equals("Budget"))
                        .mapToLong(d -> d.values() == null ? 1 : d.values().size()).sum();
            }
            assertEquals(400, published, "exactly the points of the one accepted large request");
        }
    }

    @Test
    void responsesAdvertiseNoServerAndNoInternals() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            for (HttpResponse<String> response : List.of(post(gateway, "/metrics", SEED, null),
                    post(gateway, "/metrics", "{", null),
                    gateway.send(HttpRequest.newBuilder(gateway.uri("/nope")).GET()))) {
                assertTrue(response.headers().firstValue("Server").isEmpty(), response.headers().toString());
                assertFalse(response.body().contains("com.cwgateway") || response.body().contains("java."),
                        response.body());
            }
        }
    }

    @Test
    void readyReportsWhetherTheGatewayTakesData() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_BUFFER_BYTES", "524288",
                "METRICS_FLUSH_INTERVAL", "3600000"))) {
            HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET());
            assertEquals(200, ready.statusCode());
            assertEquals("{\"status\":\"ready\"}", ready.body());
            int status = 202;
            for (int request = 0; status == 202; request++) { // 100 new series each, until the buffer is full
                List<String> datums = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    datums.add("{\"MetricName\":\"r" + request + "m" + i + "\",\"Value\":1}");
                }
                status = post(gateway, "/metrics",
                        "{\"Namespace\":\"App\",\"MetricData\":[" + String.join(",", datums) + "]}", null).statusCode();
            }
            assertEquals(503, status);

            HttpResponse<String> full = gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET());

            assertEquals(503, full.statusCode());
            assertEquals("{\"status\":\"buffer full\"}", full.body());
        }
    }

    @Test
    void aTokenMayWriteOnlyItsNamespacesAndTheFileIsReadAgainWhenItChanges() throws Exception {
        Path file = Files.createTempFile("tokens", ".txt");
        String page = "public-page-token-0123456789";
        String service = "service-token-0123456789abc";
        Files.writeString(file, "# the shop's public page\n" + page + " Web/*,Shop\n" + service + "\n");
        try (LogRecorder severe = LogRecorder.on("com.cwgateway.http.TokenStore", Level.SEVERE);
             GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("AUTH_TOKENS_FILE", file.toString()))) {
            assertEquals(202, post(gateway, "/metrics", in("Web/Checkout"), page).statusCode());
            assertEquals(202, post(gateway, "/metrics", in("Shop"), page).statusCode());
            HttpResponse<String> outside = post(gateway, "/metrics", in("Billing"), page);
            assertEquals(403, outside.statusCode());
            assertEquals("NamespaceNotAllowed", JSON.readTree(outside.body()).path("error").asText());
            assertTrue(outside.body().contains("Billing") && outside.body().contains("Web/*, Shop"), outside.body());
            HttpResponse<String> mixed = post(gateway, "/batch", "[" + in("Shop") + ","
                    + in("Billing") + "]", page);
            assertEquals(403, mixed.statusCode(), "refused whole, not half accepted");
            assertEquals(202, post(gateway, "/metrics", in("Billing"), service).statusCode());

            // Rotation: the page's token is replaced; no restart.
            String rotated = "public-page-token-rotated-42";
            Files.writeString(file, rotated + " Web/*\n" + service + "\n");
            awaitStatus(401, gateway, page);
            assertEquals(202, post(gateway, "/metrics", in("Web/Home"), rotated).statusCode());

            // A bad file keeps the tokens in force, and says why.
            Files.writeString(file, "short\n");
            List<String> said = severe.awaitAny();
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.getFirst().contains("line 1") && !said.getFirst().contains("short"), said.toString());
            assertEquals(202, post(gateway, "/metrics", in("Web/Home"), rotated).statusCode());

            // A file caught empty (rewritten in place) holds no token: it too keeps the tokens in force, said once.
            Files.writeString(file, "");
            said = severe.await(2);
            assertEquals(2, said.size(), said.toString());
            assertTrue(said.get(1).contains("holds no token"), said.toString());
            assertEquals(202, post(gateway, "/metrics", in("Web/Home"), rotated).statusCode());
        }
    }

    /**
     * A scoped token's request whose body is still arriving while an unscoped token's request is handled: each
     * is checked against its own token's namespaces (a scope kept where every request could read it let the
     * slow one through under the other's).
     */
    @Test
    void eachRequestIsCheckedAgainstItsOwnTokensNamespaces() throws Exception {
        Path file = Files.createTempFile("tokens", ".txt");
        String page = "public-page-token-0123456789";
        String service = "service-token-0123456789abc";
        Files.writeString(file, page + " Web/*\n" + service + "\n");
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("AUTH_TOKENS_FILE", file.toString()));
             Socket slow = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            byte[] body = in("Billing").getBytes(StandardCharsets.US_ASCII);
            OutputStream out = slow.getOutputStream();
            out.write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Authorization: Bearer " + page + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(300); // the slow request is past its token check, waiting for its body

            assertEquals(202, post(gateway, "/metrics", in("Billing"), service).statusCode());
            out.write(body, 10, body.length - 10);
            out.flush();

            String answer = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 403", answer, "the page's token may not write Billing");
        }
    }

    /**
     * SHUTDOWN_DELAY_MS: from the start of shutdown, /ready says 503 draining at once while requests are still
     * taken (and delivered), as a Kubernetes pod needs while its removal from the endpoints spreads.
     */
    @Test
    void duringTheShutdownDelayReadySaysDrainingWhileRequestsAreStillTaken() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("SHUTDOWN_DELAY_MS", "3000"))) {
            assertEquals(200, gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET()).statusCode());
            Thread closer = Thread.ofPlatform().start(gateway.gateway::close);
            HttpResponse<String> ready = gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET());
            for (int i = 0; i < 100 && ready.statusCode() != 503; i++) {
                Thread.sleep(20);
                ready = gateway.send(HttpRequest.newBuilder(gateway.uri("/ready")).GET());
            }
            assertEquals(503, ready.statusCode());
            assertEquals("{\"status\":\"draining\"}", ready.body());

            assertEquals(202, post(gateway, "/metrics", in("Draining"), null).statusCode(), "still taken");

            closer.join();
            assertTrue(gateway.cloudWatch.deliveredCalls().stream().anyMatch(call -> "Draining".equals(call.namespace())),
                    "the point taken during the delay was delivered");
        }
    }

    /** The seed request, in {@code namespace}. */
    private static String in(String namespace) {
        return SEED.replace("\"MyApp\"", "\"" + namespace + "\"");
    }

    /** Posts to /metrics with {@code token} until it is answered {@code status} (the file is looked at every 2 s). */
    private static void awaitStatus(int status, GatewayUnderTest gateway, String token) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            if (post(gateway, "/metrics", SEED, token).statusCode() == status) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("never answered " + status + " in 10 s");
    }

    @Test
    void withAnAdminPortTheProbesAndTheScrapeAreServedThereWithoutAToken() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("ADMIN_PORT", "0", "AUTH_TOKENS", TOKEN,
                "MAX_CONCURRENT_REQUESTS", "1"));
             Socket slow = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            java.net.InetSocketAddress admin = gateway.gateway.adminAddress();
            assertTrue(admin.getPort() != gateway.gateway.address().getPort());
            // The only slot of the main port is held by a half-sent upload: the admin port does not care.
            slow.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            for (String probe : List.of("/healthcheck", "/ready", "/metrics")) {
                HttpResponse<String> answer = gateway.send(HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + admin.getPort() + probe)).GET());
                assertEquals(200, answer.statusCode(), probe + ": " + answer.body());
            }
            HttpResponse<String> upload = gateway.send(HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + admin.getPort() + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString(SEED)));
            assertEquals(405, upload.statusCode(), "no uploads on the admin port");
            slow.close();

            assertEquals(404, gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck")).GET()).statusCode(),
                    "the probes are no longer on the main port");
            HttpResponse<String> scrape = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                    .header("Authorization", "Bearer " + TOKEN).GET());
            assertEquals(405, scrape.statusCode());
            assertEquals(202, firstAnswered(202, gateway, SEED, TOKEN).statusCode());
        }
    }

    @Test
    void madeUpMethodsCannotGrowTheMetricsPage() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            for (int i = 0; i < 200; i++) {
                try (Socket socket = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("FOO" + i + " /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.getInputStream().readNBytes(12); // the status line's start: the request was counted
                }
            }

            String text = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET()).body();

            assertFalse(text.contains("FOO"), text);
            List<String> methodSeries = text.lines()
                    .filter(line -> line.startsWith("gateway_requests_total{path=\"/metrics\",method=\"other\""))
                    .toList();
            assertEquals(1, methodSeries.size(), text);
            assertTrue(methodSeries.getFirst().endsWith(" 200"), methodSeries.toString());
        }
    }

    @Test
    void getMetricsExposesTheGatewaysOwnMetricsForPrometheus() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            assertEquals(202, post(gateway, "/metrics", SEED, null).statusCode());
            assertEquals(400, post(gateway, "/metrics", "{}", null).statusCode());
            gateway.cloudWatch.takeCall(java.time.Duration.ofSeconds(10));
            // The stand-in has the call before the gateway has read CloudWatch's answer: scrape once it has.
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET());
            for (int i = 0; i < 200 && !response.body().contains("gateway_points_out_total{outcome=\"published\"} 1\n"); i++) {
                Thread.sleep(50);
                response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET());
            }

            assertEquals(200, response.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", response.headers().firstValue("Content-Type").orElseThrow());
            String text = response.body();
            for (String expected : List.of(
                    "gateway_requests_total{path=\"/metrics\",method=\"POST\",status=\"202\"} 1",
                    "gateway_requests_total{path=\"/metrics\",method=\"POST\",status=\"400\"} 1",
                    "gateway_points_in_total{source=\"accepted\"} 1",
                    "gateway_points_dropped_total{reason=\"too_old\"} 0",
                    "# TYPE gateway_buffer_bytes gauge",
                    "gateway_buffer_capacity_bytes ",
                    "gateway_flush_duration_seconds_count ",
                    "gateway_spool_segments ",
                    "jvm_memory_used_bytes{area=\"heap\"} ",
                    "# TYPE gateway_request_duration_seconds histogram",
                    "gateway_request_duration_seconds_bucket{path=\"/metrics\",le=\"+Inf\"} ",
                    "gateway_request_duration_seconds_count{path=\"/batch\"} 0",
                    "# TYPE process_cpu_seconds_total counter",
                    "process_start_time_seconds ",
                    "process_open_fds ",
                    "process_max_fds ",
                    "process_resident_memory_bytes ")) {
                assertTrue(text.contains(expected), "missing " + expected + " in\n" + text);
            }
            // The call was confirmed before the scrape: the time is that of this test, in seconds.
            double lastPublish = value(text, "gateway_last_publish_timestamp_seconds");
            assertTrue(Math.abs(lastPublish - System.currentTimeMillis() / 1000.0) < 60, "last publish " + lastPublish);
            // Both POSTs to /metrics were timed (the scrape itself is counted after it answers).
            assertTrue(value(text, "gateway_request_duration_seconds_count{path=\"/metrics\"}") >= 2, text);
            assertEquals(value(text, "gateway_request_duration_seconds_count{path=\"/metrics\"}"),
                    value(text, "gateway_request_duration_seconds_bucket{path=\"/metrics\",le=\"+Inf\"}"));
            assertTrue(value(text, "process_cpu_seconds_total") > 0);
            for (String line : text.lines().toList()) {
                assertTrue(line.startsWith("# ") || line.matches("[a-z_]+(\\{[^}]*\\})? -?[0-9.eE+-]+"), line);
            }
        }
    }

    /** The value of the sample {@code series} (name with labels) on a metrics page. */
    private static double value(String page, String series) {
        return page.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + series + " in\n" + page));
    }
}
