package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.LogRecorder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the server answers besides validation: bodies, encodings, paths, methods, CORS, health. */
class HttpProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayUnderTest gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayUnderTest.start(Map.of("MAX_BODY_BYTES", "4096", "CORS_ORIGIN", "https://app.example"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static JsonNode assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JSON.readTree(response.body());
        assertEquals(error, body.path("error").asText(), response.body());
        assertTrue(body.path("message").asText().length() > 5, response.body());
        assertTrue(!response.body().contains("Exception") && !response.body().contains("\tat "), response.body());
        return body;
    }

    @Test
    void healthcheck() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck")).GET());

        assertEquals(200, response.statusCode());
        assertEquals("{\"status\":\"ok\"}", response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void invalidJson() throws Exception {
        JsonNode body = assertError(gateway.postJson("/metrics", "{\"Namespace\": \"App\","), 400, "InvalidJson");
        assertTrue(body.path("message").asText().contains("line 1"), body.toString());
    }

    @Test
    void nanAndInfinityLiteralsAreNotJson() throws Exception {
        assertError(gateway.postJson("/metrics",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":NaN}]}"), 400, "InvalidJson");
        assertError(gateway.postJson("/metrics",
                "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":Infinity}]}"), 400, "InvalidJson");
    }

    /** Every kind of JSON token, and tokens JSON does not have, where a number belongs: a 400 in our words. */
    @Test
    void noMessageNamesTheJsonLibraryWhateverStandsWhereANumberBelongs() throws Exception {
        for (String value : List.of("NaN", "-NaN", "Infinity", "-Infinity", "+INF", "+1", ".5", "01", "1.", "0x10",
                "1e99999", "\"1\"", "'1'", "true", "false", "null", "[]", "[1]", "{}", "x", "/* c */ 1", "// c\n1",
                "\u0001", "")) {
            HttpResponse<String> response = gateway.postJson("/metrics",
                    "{\"Namespace\":\"A\",\"MetricData\":[{\"MetricName\":\"m\",\"Value\":" + value + "}]}");

            assertEquals(400, response.statusCode(), value + ": " + response.body());
            JsonNode body = JSON.readTree(response.body());
            String words = body.path("message").asText() + " " + body.path("problems");
            for (String libraryWord : List.of("Feature", "`", "Json", "jackson", "ALLOW_", "Exception")) {
                assertTrue(!words.contains(libraryWord), value + ": " + response.body());
            }
        }
    }

    @Test
    void trailingContent() throws Exception {
        assertError(gateway.postJson("/metrics", IngestEndToEndTest.SEED_METRICS + " {}"), 400, "InvalidJson");
    }

    @Test
    void emptyBody() throws Exception {
        assertError(gateway.postJson("/metrics", ""), 400, "EmptyBody");
        assertError(gateway.postJson("/batch", ""), 400, "EmptyBody");
        assertError(gateway.postJson("/metrics", "   "), 400, "InvalidJson");
    }

    @Test
    void invalidUtf8() throws Exception {
        byte[] body = "{\"Namespace\":\"A\u0000\"}".getBytes(StandardCharsets.UTF_8);
        body[15] = (byte) 0xC3; // a lone lead byte
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))), 400, "InvalidJson");
    }

    @Test
    void contentTypes() throws Exception {
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(IngestEndToEndTest.SEED_METRICS))), 415, "UnsupportedMediaType");
        for (String accepted : new String[] {"text/plain;charset=UTF-8", "application/json; charset=utf-8"}) {
            HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                    .header("Content-Type", accepted)
                    .POST(HttpRequest.BodyPublishers.ofString(IngestEndToEndTest.SEED_METRICS)));
            assertEquals(202, response.statusCode(), accepted);
        }
        HttpResponse<String> noType = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .POST(HttpRequest.BodyPublishers.ofString(IngestEndToEndTest.SEED_METRICS)));
        assertEquals(202, noType.statusCode());
    }

    @Test
    void bodyLimitBeforeAndAfterGunzip() throws Exception {
        String big = "{\"Namespace\":\"" + "x".repeat(5000) + "\"}";
        JsonNode raw = assertError(gateway.postJson("/metrics", big), 413, "PayloadTooLarge");
        assertTrue(raw.path("message").asText().contains("4096"));
        JsonNode gunzipped = assertError(gateway.postGzip("/metrics", big), 413, "PayloadTooLarge");
        assertTrue(gunzipped.path("message").asText().contains("after gunzip"), gunzipped.toString());
    }

    @Test
    void bodyLimitWithoutContentLength() throws Exception {
        // A chunked body declares no length; the limit is enforced while reading.
        String big = "{\"Namespace\":\"" + "x".repeat(5000) + "\"}";
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))));
        assertError(response, 413, "PayloadTooLarge");
    }

    @Test
    void brokenGzipAndUnknownEncodings() throws Exception {
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("not gzip at all"))), 400, "InvalidGzip");
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .header("Content-Type", "application/json").header("Content-Encoding", "br")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))), 415, "UnsupportedContentEncoding");
    }

    @Test
    void unknownPath() throws Exception {
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metricsX")).GET()), 404, "NotFound");
        assertError(gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics/")).GET()), 404, "NotFound");
        assertError(gateway.postJson("/", "{}"), 404, "NotFound");
    }

    @Test
    void wrongMethodNamesTheAllowedOnes() throws Exception {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .PUT(HttpRequest.BodyPublishers.ofString(IngestEndToEndTest.SEED_METRICS)));
        assertError(response, 405, "MethodNotAllowed");
        assertEquals("GET, HEAD, OPTIONS, POST", response.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> delete = gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck")).DELETE());
        assertError(delete, 405, "MethodNotAllowed");
        assertEquals("GET, HEAD, OPTIONS", delete.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void headIsAnsweredLikeGetWithoutABodyAndWithoutAWarning() throws Exception {
        try (LogRecorder warnings = LogRecorder.on("com.sun.net.httpserver", Level.WARNING)) {
            for (String path : List.of("/healthcheck", "/ready", "/metrics")) {
                HttpResponse<String> get = gateway.send(HttpRequest.newBuilder(gateway.uri(path)).GET());
                HttpResponse<String> head = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()));

                assertEquals(get.statusCode(), head.statusCode(), path);
                assertEquals("", head.body(), path);
                assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
            }
            HttpResponse<String> healthGet = gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck")).GET());
            HttpResponse<String> healthHead = gateway.send(HttpRequest.newBuilder(gateway.uri("/healthcheck"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(String.valueOf(healthGet.body().length()),
                    healthHead.headers().firstValue("Content-Length").orElseThrow());

            HttpResponse<String> batch = gateway.send(HttpRequest.newBuilder(gateway.uri("/batch"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, batch.statusCode());
            assertEquals("", batch.body());
            assertEquals("OPTIONS, POST", batch.headers().firstValue("Allow").orElseThrow());
            assertEquals(List.of(), warnings.messages(), "the JDK server warned about a HEAD answer");
        }
    }

    @Test
    void corsPreflightAndOrigin() throws Exception {
        HttpResponse<String> preflight = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type"));

        assertEquals(204, preflight.statusCode());
        assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("POST"));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow().contains("Content-Type"));
        HttpResponse<String> post = gateway.postJson("/metrics", IngestEndToEndTest.SEED_METRICS);
        assertEquals("https://app.example", post.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        HttpResponse<String> error = gateway.postJson("/metrics", "{");
        assertEquals("https://app.example", error.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
    }

    /**
     * A client that writes its whole body before it reads (as Python's urllib does) reads the 413, instead of a
     * connection reset that overtakes it: the gateway reads and discards the rest of a body it refused.
     */
    @Test
    @Timeout(60)
    void aClientThatWritesItsWholeOversizedBodyFirstReadsThe413() throws Exception {
        byte[] body = new byte[12 << 20];
        java.util.Arrays.fill(body, (byte) ' ');
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                assertEquals("HTTP/1.1 413", answer, "attempt " + attempt);
            }
        }
        healthcheck();
    }

    /**
     * With {@code Expect: 100-continue} the JDK's server answers {@code 100 Continue} before any filter or
     * handler of the gateway runs (its ServerImpl does it for every request), so an oversized body cannot be
     * refused before it is sent; what the gateway can do is read the body it refuses and answer 413, not a reset.
     */
    @Test
    @Timeout(60)
    void anOversizedBodyAfter100ContinueIsReadAndAnswered413() throws Exception {
        byte[] body = new byte[12 << 20];
        java.util.Arrays.fill(body, (byte) ' ');
        try (Socket socket = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder interim = new StringBuilder();
            while (!interim.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                assertTrue(next >= 0, "closed after " + interim);
                interim.append((char) next);
            }
            assertTrue(interim.toString().startsWith("HTTP/1.1 100 Continue\r\n"), interim.toString());
            out.write(body);
            out.flush();
            assertEquals("HTTP/1.1 413", new String(in.readNBytes(12), StandardCharsets.US_ASCII));
        }
        healthcheck();
    }

    @Test
    void malformedHttpDoesNotHurtTheServer() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: nonsense\r\n\r\n{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("HTTP/1.1 4"), answer);
        }
        healthcheck();
    }
}
