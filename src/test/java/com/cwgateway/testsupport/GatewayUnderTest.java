package com.cwgateway.testsupport;

import com.cwgateway.app.Gateway;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.publish.CloudWatchSink;
import com.cwgateway.publish.DeliveryStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * A real gateway on a free port of 127.0.0.1, publishing through the real SDK client (configured as in
 * production) to a {@link CloudWatchStandIn}; and a real HTTP client to talk to it.
 */
public final class GatewayUnderTest implements AutoCloseable {

    public final CloudWatchStandIn cloudWatch;
    public final Gateway gateway;
    private final HttpClient http = HttpClient.newHttpClient();

    private GatewayUnderTest(CloudWatchStandIn cloudWatch, Gateway gateway) {
        this.cloudWatch = cloudWatch;
        this.gateway = gateway;
    }

    /** A gateway with test defaults (flush every 200 ms) overridden by {@code settings}. */
    public static GatewayUnderTest start(Map<String, String> settings) throws Exception {
        return start(settings, Clock.systemUTC());
    }

    /** The same, on a clock the test controls. */
    public static GatewayUnderTest start(Map<String, String> settings, Clock clock) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("METRICS_FLUSH_INTERVAL", "200");
        env.put("SHUTDOWN_TIMEOUT_MS", "10000");
        env.put("SPOOL_DIR", Files.createTempDirectory("gateway-spool").toString());
        env.putAll(settings);
        GatewayConfig config = GatewayConfig.from(env::get);
        CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
        CloudWatchSink sink = new CloudWatchSink(CloudWatchSink.clientBuilder(config.cloudWatchTimeout())
                .endpointOverride(cloudWatch.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build());
        Gateway gateway = Gateway.start(config, sink, clock);
        gateway.startReplay();
        return new GatewayUnderTest(cloudWatch, gateway);
    }

    public static GatewayUnderTest start() throws Exception {
        return start(Map.of());
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.address().getPort() + path);
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> postGzip(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(json))));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** Stops the gateway, then checks its ledger: every point that came in is accounted for, none held. */
    @Override
    public void close() {
        gateway.close();
        cloudWatch.close();
        DeliveryStats.Snapshot ledger = gateway.stats().snapshot();
        if (ledger.imbalance() != 0 || ledger.buffered() != 0 || ledger.inFlight() != 0) {
            throw new AssertionError("the ledger does not balance after stopping: " + ledger.summary());
        }
    }
}
