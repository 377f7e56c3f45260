package com.cwgateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.GatewayProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Operating the jar as a process: slow clients cannot hold connections, and JSON logs are JSON. These need
 * a process of their own: the JDK server reads its timeouts once per JVM.
 */
class OperationsIT {

    private static final Duration START = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void hundredsOfSlowClientsAreClosedWhileOthersAreServed() throws Exception {
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess gateway = GatewayProcess.start(GatewayProcess.environment(cloudWatch.endpoint(),
                     Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "2")))) {
            int port = gateway.awaitListening(START);
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    out.write("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Le".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    slow.add(socket);
                }

                HttpResponse<String> served = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/healthcheck")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, served.statusCode(), "a normal client is served while 300 slow ones wait");

                // Each slow connection is closed by the server (end of stream or a reset), none left hanging.
                for (Socket socket : slow) {
                    InputStream in = socket.getInputStream();
                    try {
                        assertEquals(-1, in.read(), "the server answered a half-sent request");
                    } catch (java.net.SocketException reset) {
                        // closed with a reset: closed all the same
                    }
                }
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             GatewayProcess gateway = GatewayProcess.start(GatewayProcess.environment(cloudWatch.endpoint(),
                     Map.of("LOG_FORMAT", "json", "DEBUG", "true")))) {
            int port = gateway.awaitListening(START);
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthcheck")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertNotNull(gateway.stderrLines().await(Pattern.compile("GET /healthcheck 200"), START), gateway.stderr());
            gateway.signal("TERM");
            assertEquals(143, gateway.awaitExit(START));

            List<String> lines = gateway.stderrLines().lines();
            assertTrue(lines.size() >= 3, gateway.stderr());
            for (String line : lines) {
                JsonNode event = json.readTree(line);
                assertTrue(event.path("time").isTextual() && event.path("level").isTextual()
                        && event.path("message").isTextual(), line);
            }
        }
    }
}
