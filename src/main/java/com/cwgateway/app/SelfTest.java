package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;
import com.cwgateway.config.InvalidConfigException;
import com.cwgateway.publish.CloudWatchSink;
import com.cwgateway.publish.LogSink;
import com.cwgateway.wal.SpoolDirException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * {@code --self-test}: runs a gateway on a free port of 127.0.0.1 with the dry-run sink, posts a metric, waits
 * for the flush, stops it, then builds (without calling) a CloudWatch client. It checks an installation without
 * AWS, and is the training run for the class-data archive (AppCDS): it loads what a real start and requests load.
 */
final class SelfTest {

    private static final String SAMPLE = "{\"Namespace\":\"SelfTest\",\"MetricData\":[{\"MetricName\":\"Requests\","
            + "\"Dimensions\":[{\"Name\":\"Check\",\"Value\":\"self-test\"}],\"Value\":1,\"Unit\":\"Count\"}]}";

    private SelfTest() {}

    static int run(PrintStream out, PrintStream err) {
        try {
            var spool = Files.createTempDirectory("gateway-self-test");
            GatewayConfig config = GatewayConfig.from(Map.of("PORT", "0", "HOST", "127.0.0.1", "SINK", "log",
                    "METRICS_FLUSH_INTERVAL", "100", "SPOOL_DIR", spool.toString())::get);
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            try (PrintStream sinkOut = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
                Gateway gateway = Gateway.start(config, new LogSink(sinkOut), Clock.systemUTC());
                try {
                    URI uri = URI.create("http://127.0.0.1:" + gateway.address().getPort() + "/metrics");
                    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString(SAMPLE)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 202) {
                        err.println("self-test failed: POST /metrics answered " + response.statusCode() + " " + response.body());
                        return 1;
                    }
                } finally {
                    gateway.close();
                }
            }
            String published = printed.toString(StandardCharsets.UTF_8);
            if (!published.contains("\"Namespace\":\"SelfTest\"")) {
                err.println("self-test failed: the posted metric was not flushed");
                return 1;
            }
            CloudWatchSink.clientBuilder(config.cloudWatchTimeout())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(AnonymousCredentialsProvider.create())
                    .build()
                    .close();
            out.println("self-test passed: accepted a metric over HTTP, flushed it, stopped cleanly, built a CloudWatch client");
            return 0;
        } catch (IOException | InvalidConfigException | SpoolDirException | InterruptedException | RuntimeException e) {
            err.println("self-test failed: " + e);
            return 1;
        }
    }
}
