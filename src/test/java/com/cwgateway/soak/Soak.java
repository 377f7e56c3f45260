package com.cwgateway.soak;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make soak}: minutes of mixed load on the packaged jar while the CloudWatch stand-in injects faults
 * at random (throttling, 500s, dropped connections, answers slower than the call timeout, now and then a
 * 403), plus poison datums that CloudWatch rejects; halfway through, CloudWatch goes down and the gateway
 * is stopped (it spools) and started again (it replays). At the end it prints what was accepted, delivered
 * and dropped, and fails unless every accepted point is accounted for: delivered once, or dropped as poison.
 *
 * <p>Run: {@code make soak} (SOAK_SECONDS, default 180), or
 * {@code java -cp target/test-classes:<test classpath> com.cwgateway.soak.Soak <seconds>} from the project.
 */
public final class Soak {

    private static final Pattern TOTALS = Pattern.compile(
            "accepted=(\\S+) replayed=(\\S+) published=(\\S+) dropped=(\\S+) \\([^)]*\\) spooled=(\\S+) "
                    + "buffered=(\\S+) in_flight=(\\S+)");

    private final DoubleAdder acceptedSamples = new DoubleAdder();
    private final DoubleAdder acceptedPoison = new DoubleAdder();
    /** Points of requests that got no answer: the gateway may have taken them (HTTP cannot tell). */
    private final DoubleAdder unansweredSamples = new DoubleAdder();
    private final DoubleAdder unansweredPoison = new DoubleAdder();
    private final LongAdder requests = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger gatewayPort = new AtomicInteger();
    private final AtomicBoolean loading = new AtomicBoolean(true);

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
        System.exit(new Soak().run(seconds) ? 0 : 1);
    }

    /** Faults for a healthy-but-flaky CloudWatch: one call in five fails somehow. */
    private static StandInResponse flaky(RecordedCall call) {
        if (containsPoison(call)) {
            return StandInResponse.badRequest("InvalidParameterValue", "The value for MetricName is invalid (soak poison)");
        }
        int roll = ThreadLocalRandom.current().nextInt(100);
        if (roll < 6) {
            return StandInResponse.throttling();
        }
        if (roll < 11) {
            return StandInResponse.serverError();
        }
        if (roll < 15) {
            return StandInResponse.dropConnection();
        }
        if (roll < 19) {
            // Slower than the call's timeout, and then not stored: a real CloudWatch might store it, and the
            // retry would count it twice (the README says so); here only the gateway's side is under test.
            return StandInResponse.delayed(Duration.ofSeconds(3), StandInResponse.serverError());
        }
        if (roll < 20) {
            return StandInResponse.accessDenied();
        }
        return StandInResponse.ok();
    }

    private static boolean containsPoison(RecordedCall call) {
        return call.datums().stream().anyMatch(datum -> datum.metricName().startsWith("poison"));
    }

    boolean run(int seconds) throws Exception {
        Path spool = Files.createTempDirectory("soak-spool");
        Map<String, String> settings = Map.of("METRICS_FLUSH_INTERVAL", "1000", "CLOUDWATCH_TIMEOUT_MS", "1500",
                "SHUTDOWN_TIMEOUT_MS", "4000", "SPOOL_DIR", spool.toString(), "MAX_SERIES", "0");
        List<double[]> totals = new ArrayList<>();
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Function<RecordedCall, StandInResponse> flaky = Soak::flaky;
            cloudWatch.setDefaultResponder(flaky);
            Map<String, String> env = GatewayProcess.environment(cloudWatch.endpoint(), settings);
            List<Thread> clients = new ArrayList<>();
            GatewayProcess gateway = start(env);
            for (int client = 0; client < 4; client++) {
                long seed = client;
                clients.add(Thread.ofVirtual().start(() -> load(new Random(seed))));
            }
            long half = System.nanoTime() + Duration.ofSeconds(seconds / 2).toNanos();
            progressUntil(half, cloudWatch);

            log("outage: CloudWatch answers 500 to everything; stopping the gateway (it spools)");
            cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
            totals.add(stop(gateway));
            cloudWatch.setDefaultResponder(flaky);
            log("CloudWatch is back (flaky again); starting a new gateway (it replays the spool)");
            gateway = start(env);

            progressUntil(half + Duration.ofSeconds(seconds - seconds / 2).toNanos(), cloudWatch);
            loading.set(false);
            for (Thread client : clients) {
                client.join();
            }
            log("load stopped; CloudWatch heals (only poison is refused); stopping the gateway");
            cloudWatch.setDefaultResponder(call -> containsPoison(call)
                    ? StandInResponse.badRequest("InvalidParameterValue", "soak poison") : StandInResponse.ok());
            totals.add(stop(gateway));
            // Isolating poison under faults can outlast SHUTDOWN_TIMEOUT_MS: then the rest was spooled, and one
            // more start, with CloudWatch healthy, delivers it.
            for (int restart = 0; restart < 3 && spoolFiles(spool) > 0; restart++) {
                log("the spool holds data: starting a gateway to deliver it");
                gateway = start(env);
                gateway.stderrLines().await(Pattern.compile("flush: published|PutMetricData"), Duration.ofSeconds(5));
                Thread.sleep(3000);
                totals.add(stop(gateway));
            }
            return report(cloudWatch, totals, spool);
        }
    }

    private GatewayProcess start(Map<String, String> env) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(env);
        gatewayPort.set(gateway.awaitListening(Duration.ofSeconds(30)));
        return gateway;
    }

    /** SIGTERM, wait for the exit, and read the totals from the last log line. */
    private double[] stop(GatewayProcess gateway) throws Exception {
        gatewayPort.set(0);
        gateway.signal("TERM");
        int exit = gateway.awaitExit(Duration.ofSeconds(60));
        Matcher matcher = gateway.stderrLines().await(Pattern.compile("stopped in .*" + TOTALS.pattern()),
                Duration.ofSeconds(5));
        if (exit != 143 || matcher == null) {
            throw new IllegalStateException("the gateway did not stop cleanly (exit " + exit + "):\n" + gateway.stderr());
        }
        log(matcher.group());
        for (String line : gateway.stderrLines().lines()) {
            if (line.contains("WARNING") || line.contains("SEVERE")) {
                warnings++;
            }
        }
        gateway.close();
        double[] totals = new double[7];
        for (int i = 0; i < 7; i++) {
            totals[i] = Double.parseDouble(matcher.group(i + 1));
        }
        return totals;
    }

    private int warnings;

    private static long spoolFiles(Path spool) throws java.io.IOException {
        try (var files = Files.list(spool)) {
            return files.count();
        }
    }

    private void progressUntil(long deadlineNanos, CloudWatchStandIn cloudWatch) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            Thread.sleep(Math.min(10_000, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000)));
            log(String.format("%d requests, %.0f points accepted, %d PutMetricData calls so far",
                    requests.sum(), acceptedSamples.sum(), cloudWatch.calls().size()));
        }
    }

    /** One client: mixed /metrics and /batch requests of random series, a poison datum now and then. */
    private void load(Random random) {
        while (loading.get()) {
            int port = gatewayPort.get();
            if (port == 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // a gateway is (re)starting
                continue;
            }
            boolean batch = random.nextInt(4) == 0;
            int inputs = batch ? 1 + random.nextInt(5) : 1;
            double samples = 0;
            double poison = 0;
            List<String> bodies = new ArrayList<>();
            for (int input = 0; input < inputs; input++) {
                List<String> datums = new ArrayList<>();
                int count = batch ? 1 + random.nextInt(200) : 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    boolean isPoison = random.nextInt(5000) == 0;
                    String name = isPoison ? "poison" + random.nextInt(1_000_000) : "m" + random.nextInt(10);
                    String dimensions = "[{\"Name\":\"Host\",\"Value\":\"h" + random.nextInt(5) + "\"}]";
                    String value;
                    double these;
                    if (random.nextInt(10) == 0) {
                        int n = 1 + random.nextInt(5);
                        List<String> values = new ArrayList<>();
                        List<String> counts = new ArrayList<>();
                        these = 0;
                        for (int v = 0; v < n; v++) {
                            values.add(String.valueOf(random.nextInt(1000)));
                            int c = 1 + random.nextInt(3);
                            counts.add(String.valueOf(c));
                            these += c;
                        }
                        value = "\"Values\":[" + String.join(",", values) + "],\"Counts\":[" + String.join(",", counts) + "]";
                    } else {
                        value = "\"Value\":" + random.nextInt(1000);
                        these = 1;
                    }
                    datums.add("{\"MetricName\":\"" + name + "\",\"Dimensions\":" + dimensions + "," + value
                            + ",\"Unit\":\"Milliseconds\"}");
                    samples += these;
                    poison += isPoison ? these : 0;
                }
                bodies.add("{\"Namespace\":\"Soak/" + random.nextInt(3) + "\",\"MetricData\":[" + String.join(",", datums) + "]}");
            }
            String path = batch ? "/batch" : "/metrics";
            String body = batch ? "[" + String.join(",", bodies) + "]" : bodies.getFirst();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                requests.increment();
                statuses.computeIfAbsent(response.statusCode(), status -> new LongAdder()).increment();
                if (response.statusCode() == 202) {
                    acceptedSamples.add(samples);
                    acceptedPoison.add(poison);
                }
            } catch (Exception e) {
                // The gateway is restarting, or closed the connection while stopping. Usually nothing was
                // accepted, but a request taken just before the stop may have lost its answer on the way:
                // the client cannot tell, would retry, and the points would arrive twice (at least once).
                statuses.computeIfAbsent(-1, status -> new LongAdder()).increment();
                unansweredSamples.add(samples);
                unansweredPoison.add(poison);
            }
        }
    }

    private boolean report(CloudWatchStandIn cloudWatch, List<double[]> totals, Path spool) throws Exception {
        double delivered = 0;
        double deliveredPoison = 0;
        for (RecordedDatum datum : cloudWatch.acceptedDatums()) {
            double samples = samples(datum);
            if (datum.metricName().startsWith("poison")) {
                deliveredPoison += samples;
            } else {
                delivered += samples;
            }
        }
        Map<String, Long> answers = new HashMap<>();
        cloudWatch.calls().forEach(call -> answers.merge(call.answer().isOk() ? "ok"
                : call.answer().isDrop() ? "dropped connection" : call.answer().errorCode() + " " + call.answer().status(),
                1L, Long::sum));
        double accepted = acceptedSamples.sum();
        double poison = acceptedPoison.sum();
        double gatewayAccepted = totals.stream().mapToDouble(t -> t[0]).sum();
        double gatewayPublished = totals.stream().mapToDouble(t -> t[2]).sum();
        double gatewayDropped = totals.stream().mapToDouble(t -> t[3]).sum();
        double spooled = totals.stream().mapToDouble(t -> t[4]).sum();
        double replayed = totals.stream().mapToDouble(t -> t[1]).sum();
        double unanswered = unansweredSamples.sum();
        // Loss is what clients were told was accepted and never arrived; points beyond that are allowed only
        // up to those of requests that got no answer (taken by the gateway, the answer lost).
        double unexplained = accepted - delivered - gatewayDropped;
        double takenUnanswered = gatewayAccepted - accepted;
        long spoolFiles = spoolFiles(spool);
        System.out.println();
        System.out.println("| soak | figure |");
        System.out.println("|---|---|");
        System.out.printf("| gateway processes (each stopped by SIGTERM) | %d |%n", totals.size());
        System.out.printf("| requests sent | %d (answers by status: %s; -1 = no answer while restarting) |%n",
                requests.sum(), statusSummary());
        System.out.printf("| points accepted (202, counted by the clients) | %.0f (the gateways counted %.0f) |%n",
                accepted, gatewayAccepted);
        System.out.printf("| points delivered to CloudWatch | %.0f (the gateways counted %.0f published) |%n",
                delivered, gatewayPublished);
        System.out.printf("| points dropped, rejected by CloudWatch (poison) | %.0f (of %.0f poison points accepted; %.0f poison delivered) |%n",
                gatewayDropped, poison, deliveredPoison);
        System.out.printf("| points spooled at stops, replayed at starts | %.0f, %.0f |%n", spooled, replayed);
        System.out.printf("| PutMetricData calls, by answer | %s |%n", answers);
        System.out.printf("| WARNING/SEVERE log lines | %d |%n", warnings);
        System.out.printf("| spool files left | %d |%n", spoolFiles);
        System.out.printf("| points of requests that got no answer | %.0f (the gateways took %.0f of them: delivered, "
                + "though their clients were not told) |%n", unanswered, takenUnanswered);
        System.out.printf("| **unexplained loss** (accepted - delivered - dropped, plus points taken without an "
                + "answer) | **%.0f** |%n", unexplained + takenUnanswered);
        boolean explained = Math.abs(unexplained + takenUnanswered) < 1e-6 && takenUnanswered > -1e-6
                && takenUnanswered <= unanswered + 1e-6;
        boolean ok = explained && deliveredPoison == 0 && gatewayDropped <= poison + unansweredPoison.sum() + 1e-6
                && gatewayDropped >= poison - 1e-6 && spoolFiles == 0 && Math.abs(replayed - spooled) < 1e-6;
        System.out.println(ok ? "soak: PASS" : "soak: FAIL");
        return ok;
    }

    private String statusSummary() {
        StringBuilder text = new StringBuilder();
        new java.util.TreeMap<>(statuses).forEach((status, count) ->
                text.append(text.isEmpty() ? "" : ", ").append(status).append('=').append(count.sum()));
        return text.toString();
    }

    private static double samples(RecordedDatum datum) {
        if (datum.value() != null) {
            return 1;
        }
        if (datum.statistics() != null) {
            return datum.statistics().sampleCount();
        }
        return datum.counts() == null ? datum.values().size()
                : datum.counts().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void log(String line) {
        System.err.println(java.time.Instant.now() + " soak: " + line);
    }
}
