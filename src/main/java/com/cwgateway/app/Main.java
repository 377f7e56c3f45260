package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;
import com.cwgateway.config.InvalidConfigException;
import com.cwgateway.config.SinkKind;
import com.cwgateway.http.HttpFrontEnd;
import com.cwgateway.publish.CloudWatchSink;
import com.cwgateway.publish.DeferredSink;
import com.cwgateway.publish.LogSink;
import com.cwgateway.publish.MetricSink;
import com.cwgateway.wal.SpoolDirException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.logging.Logger;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;

/**
 * Starts the gateway: settings from the environment, the CloudWatch sink, the server, one shutdown hook.
 * Exit codes: 0 after --help/--version, 1 when the server cannot start (e.g. the port is taken),
 * 2 for a bad setting or argument or an unusable SPOOL_DIR, 143/130 after SIGTERM/SIGINT once everything is flushed.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        long started = System.nanoTime();
        Logging.install();
        if (args.length > 0) {
            Logging.configure(System::getenv);
            System.exit(CommandLine.run(args, System.out, System.err));
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.from(System::getenv);
        } catch (InvalidConfigException e) {
            Logging.configure(System::getenv); // as LOG_FORMAT asks, where it is one of the valid ones
            fatal(2, e.getMessage());
            return;
        }
        Logging.configure(config.logLevel(), config.logFormat());
        Logger log = Logger.getLogger(Main.class.getName());
        Region region = null;
        if (config.sink() == SinkKind.CLOUDWATCH) {
            try {
                region = CloudWatchSink.defaultRegion(); // before listening: no 202 from a gateway that must exit
            } catch (SdkClientException e) {
                fatal(2, "cannot set up the CloudWatch client: " + e.getMessage()
                        + "\n  set AWS_REGION (e.g. AWS_REGION=us-east-1), or a region in the AWS profile in use;"
                        + "\n  to try the gateway without AWS, set SINK=log");
                return;
            }
        }
        // The SDK's client takes about half a second to build: build it beside the server, not before it.
        Region inRegion = region;
        CompletableFuture<MetricSink> building = config.sink() == SinkKind.LOG
                ? CompletableFuture.completedFuture(new LogSink(System.out))
                : CompletableFuture.supplyAsync(
                        () -> CloudWatchSink.fromDefaultChains(config.cloudWatchTimeout(), inRegion),
                        task -> Thread.ofPlatform().daemon().name("sink-setup").start(task));
        Gateway gateway;
        try {
            gateway = Gateway.start(config, new DeferredSink(building), Clock.systemUTC());
        } catch (IOException e) {
            fatal(1, "cannot listen " + e.getMessage());
            return;
        } catch (SpoolDirException | HttpFrontEnd.SetupException e) {
            fatal(2, e.getMessage());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "shutdown"));
        gateway.startReplay();
        Integer adminPort = gateway.adminAddress() == null ? null : gateway.adminAddress().getPort();
        log.info(StartupSummary.line(config, gateway.address().getPort(), adminPort,
                Duration.ofNanos(System.nanoTime() - started)));
        String heap = HeapCheck.warning(config, Runtime.getRuntime().maxMemory());
        if (heap != null) {
            log.warning(heap);
        }
        MetricSink sink;
        try {
            sink = building.join();
        } catch (CompletionException e) {
            fatal(2, "cannot set up the CloudWatch client: " + e.getCause().getMessage());
            return;
        }
        log.info("sink " + sink.describe());
        Thread.ofVirtual().name("sink-check").start(sink::selfCheck);
    }

    /** Logs why the gateway cannot run (as LOG_FORMAT asks, like every other line) and exits with {@code code}. */
    private static void fatal(int code, String message) {
        Logger.getLogger(Main.class.getName()).severe(message);
        System.exit(code);
    }
}
