package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.LogRecorder;
import com.cwgateway.testsupport.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS on the listener: TLS 1.2 and 1.3 only, certificates made at test time with keytool, a renewal served to
 * new connections while open ones keep theirs, a bad renewal kept out, client certificates when asked for.
 */
@Timeout(120)
class TlsTest {

    private static final String SEED = IngestEndToEndTest.SEED_METRICS;

    @TempDir
    static Path certificates;
    private static TestCertificate first;
    private static TestCertificate renewed;
    private static TestCertificate client;
    private static TestCertificate nextClient;

    @TempDir
    Path live;

    @BeforeAll
    static void makeCertificates() throws Exception {
        first = TestCertificate.make(certificates, "first", "EC");
        renewed = TestCertificate.make(certificates, "renewed", "RSA");
        client = TestCertificate.make(certificates, "device-fleet", "EC");
        nextClient = TestCertificate.make(certificates, "next-fleet", "EC");
    }

    private Map<String, String> tlsSettings(TestCertificate pair) throws IOException {
        pair.installAs(live.resolve("cert.pem"), live.resolve("key.pem"));
        return Map.of("TLS_CERT_FILE", live.resolve("cert.pem").toString(),
                "TLS_KEY_FILE", live.resolve("key.pem").toString());
    }

    private static SSLSocket connect(GatewayUnderTest gateway, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1",
                gateway.gateway.address().getPort());
        socket.startHandshake();
        return socket;
    }

    private static String served(GatewayUnderTest gateway, SSLContext context) throws IOException {
        try (SSLSocket socket = connect(gateway, context)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    /** Sends the seed request on an open connection and returns the status line. */
    private static String post(SSLSocket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + SEED.length() + "\r\n\r\n" + SEED).getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    }

    @Test
    void pointsArriveOverHttpsWithTls13AndTls12() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(tlsSettings(first))) {
            SSLContext trusting = TestCertificate.clientTrusting(null, first);
            HttpClient https = HttpClient.newBuilder().sslContext(trusting).build();
            HttpResponse<String> accepted = https.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + gateway.gateway.address().getPort() + "/metrics"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SEED)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());
            try (SSLSocket socket = connect(gateway, trusting)) {
                assertEquals("TLSv1.3", socket.getSession().getProtocol());
            }
            try (SSLSocket old = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1",
                    gateway.gateway.address().getPort())) {
                old.setEnabledProtocols(new String[] {"TLSv1.2"});
                old.startHandshake();
                assertEquals("TLSv1.2", old.getSession().getProtocol(), "TLS 1.2 is still served");
            }
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsNoHttpAnswer() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start(tlsSettings(first));
             Socket plain = new Socket("127.0.0.1", gateway.gateway.address().getPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(("POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: " + SEED.length()
                    + "\r\n\r\n" + SEED).getBytes(StandardCharsets.US_ASCII));
            byte[] answer;
            try (InputStream in = plain.getInputStream()) {
                answer = in.readNBytes(64);
            } catch (IOException reset) {
                answer = new byte[0];
            }
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("HTTP/"),
                    "answered in plain HTTP: " + new String(answer, StandardCharsets.ISO_8859_1));
        }
    }

    /**
     * Handshakes gone wrong: 1,000 connections that never finish one (half of them stop inside the first TLS
     * record, half send nothing), truncated and garbage handshakes; a client with a proper handshake is served
     * all the while.
     */
    @Test
    void handshakesThatNeverFinishDoNotStopTheServerAndLetTheirMemoryGo() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(tlsSettings(first));
        // Long enough that the heap is measured before the first stalled handshake is closed, on a slow machine.
        settings.put("HTTP_REQUEST_TIMEOUT_SECONDS", "15");
        try (GatewayUnderTest gateway = GatewayUnderTest.start(settings)) {
            int port = gateway.gateway.address().getPort();
            List<Socket> stuck = new java.util.ArrayList<>();
            long before = heapAfterGc();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket socket = new Socket("127.0.0.1", port);
                    if (i % 2 == 0) {
                        // A handshake record's header announcing 512 bytes, and nothing after it.
                        socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
                    }
                    stuck.add(socket);
                }
                for (byte[] garbage : List.of(new byte[] {0x16, 0x03}, "GET / HTTP/1.0\r\n\r\n".getBytes(
                        StandardCharsets.US_ASCII), new byte[] {0x16, 0x03, 0x03, 0x00, 0x05, 1, 2, 3, 4, 5})) {
                    try (Socket broken = new Socket("127.0.0.1", port)) {
                        broken.getOutputStream().write(garbage);
                        broken.shutdownOutput();
                    }
                }
                SSLContext trusting = TestCertificate.clientTrusting(null, first);
                try (SSLSocket socket = connect(gateway, trusting)) {
                    assertEquals("HTTP/1.1 202", post(socket), "served while 1000 handshakes are stalled");
                }

                // Each stalled handshake costs the server its TLS engine's buffers (about 40 KB measured) until
                // the request timeout closes it: memory follows the rate of such connections, not their total.
                long held = heapAfterGc() - before;
                assertTrue(held < 100L << 20, "1000 stalled handshakes hold " + held + " bytes of heap");
                long now = held;
                for (int i = 0; i < 60 && now > held / 10 + (1L << 20); i++) {
                    Thread.sleep(500);
                    now = heapAfterGc() - before;
                }
                assertTrue(now <= held / 10 + (1L << 20), "after the request timeout " + now + " of " + held
                        + " bytes are still held");
            } finally {
                for (Socket socket : stuck) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aRenewedPairIsServedToNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        try (LogRecorder severe = LogRecorder.on(TlsContext.class.getName(), Level.SEVERE);
             GatewayUnderTest gateway = GatewayUnderTest.start(tlsSettings(first))) {
            SSLContext trustingBoth = TestCertificate.clientTrusting(null, first, renewed);
            assertEquals("CN=first", served(gateway, trustingBoth));
            SSLSocket open = connect(gateway, trustingBoth);

            renewed.installAs(live.resolve("cert.pem"), live.resolve("key.pem"));
            String now = served(gateway, trustingBoth);
            for (int i = 0; i < 200 && !now.equals("CN=renewed"); i++) {
                Thread.sleep(50);
                now = served(gateway, trustingBoth);
            }
            assertEquals("CN=renewed", now, "the renewed pair is served to new connections");
            assertEquals("HTTP/1.1 202", post(open), "an open connection keeps working");
            open.close();

            // Halfway through a renewal, or a broken one: the certificate of one pair, the key of another.
            Files.copy(first.certPem(), live.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> said = severe.awaitAny();
            assertEquals(1, said.size(), said.toString());
            assertTrue(said.getFirst().contains("is not the key of"), said.getFirst());
            assertEquals("CN=renewed", served(gateway, trustingBoth), "the pair in force stays");
        }
    }

    @Test
    void withAClientCaOnlyClientsWithItsCertificatesGetIn() throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(tlsSettings(first));
        Path clientCa = live.resolve("client-ca.pem");
        Files.copy(client.certPem(), clientCa);
        settings.put("TLS_CLIENT_CA_FILE", clientCa.toString());
        try (LogRecorder severe = LogRecorder.on(TlsContext.class.getName(), Level.SEVERE);
             GatewayUnderTest gateway = GatewayUnderTest.start(settings)) {
            // One context for the whole test, as a device keeps it: it resumes its session when it may.
            SSLContext oldFleet = TestCertificate.clientTrusting(client, first);
            try (SSLSocket device = connect(gateway, oldFleet)) {
                assertEquals("HTTP/1.1 202", post(device));
            }
            assertRefused(gateway, TestCertificate.clientTrusting(null, first));
            assertRefused(gateway, TestCertificate.clientTrusting(nextClient, first));
            SSLSocket openBeforeTheChange = connect(gateway, oldFleet);

            // The CA file renewed, as a Secret or a config tool would: the next fleet gets in, the old one not.
            Files.copy(nextClient.certPem(), clientCa, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SSLContext next = TestCertificate.clientTrusting(nextClient, first);
            for (int i = 0; i < 200 && !admitted(gateway, next); i++) {
                Thread.sleep(50);
            }
            try (SSLSocket device = connect(gateway, next)) {
                assertEquals("HTTP/1.1 202", post(device), "a client of the renewed CA gets in");
            }
            assertRefused(gateway, TestCertificate.clientTrusting(client, first));
            // A connection opened before the change, and a session resumed from then, are judged by the CAs now.
            assertEquals("HTTP/1.1 403", post(openBeforeTheChange), "an open connection of the old fleet");
            openBeforeTheChange.close();
            try (SSLSocket resumed = connect(gateway, oldFleet)) {
                assertEquals("HTTP/1.1 403", post(resumed), "a resumed session of the old fleet");
            } catch (IOException refusedAtTheHandshake) {
                // not resumed: the full handshake is refused, as for any stranger
            }

            Files.writeString(clientCa, "not a certificate");
            List<String> said = severe.awaitAny();
            assertTrue(said.getFirst().contains("TLS_CLIENT_CA_FILE changed and cannot be used"), said.toString());
            try (SSLSocket device = connect(gateway, next)) {
                assertEquals("HTTP/1.1 202", post(device), "the CAs in force stay");
            }
        }
    }

    private static boolean admitted(GatewayUnderTest gateway, SSLContext context) {
        try (SSLSocket device = connect(gateway, context)) {
            return post(device).equals("HTTP/1.1 202");
        } catch (IOException e) {
            return false;
        }
    }

    private static void assertRefused(GatewayUnderTest gateway, SSLContext context) {
        assertThrows(IOException.class, () -> {
            try (SSLSocket stranger = connect(gateway, context)) {
                post(stranger); // TLS 1.3 may report the refusal on the first read
            }
        });
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
