package com.cwgateway.soak;

import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.GatewayProcess;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.RecordedDatum;
import com.cwgateway.testsupport.StandInResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code make soak}: minutes of load on the packaged jar while CloudWatch stand-ins inject faults, in four
 * phases, each with its own gateway, spool and stand-in; the first runs beside the other three, which follow
 * one another:
 * <ul>
 * <li><b>mixed</b> (SOAK_SECONDS): {@code /metrics} and {@code /batch} load of repeating values (aggregation
 *     under test) while the stand-in fails one call in five (throttling, 500s, dropped connections, answers
 *     slower than the call timeout, now and then a 403) and rejects poison datums, naming each as CloudWatch
 *     does; only poison may be dropped. Halfway, CloudWatch goes down and the gateway is stopped (it spools)
 *     and started again (it replays).
 * <li><b>kill -9</b>: {@value #KILLS} {@code kill -9}s of the gateway under load at moments drawn from the seed,
 *     each followed by a start on the same SPOOL_DIR (it replays). No point answered 202 may be missing;
 *     duplicates are allowed within the bound explained at {@link #killPhase}.
 * <li><b>brownout</b>: every call is answered slowly (1.5 s, or 0.7 s for one in three) while the gateway runs
 *     with CLOUDWATCH_TIMEOUT_MS=3000, 1 s an attempt: attempts time out after CloudWatch stored them, and are
 *     retried. The stand-in's points over the distinct points is the inflation; every extra copy must be
 *     counted by the gateway as possibly duplicated.
 * <li><b>high-cardinality outage</b> ("card"): CloudWatch answers 500 while clients post 1000 new series a
 *     request until they are told 503 BufferFull (with Retry-After), then a while longer; the gateway runs with
 *     the Dockerfile's flags in a simulated 512 MiB container (the limit of deploy/kubernetes), and must stay
 *     alive; then CloudWatch heals and every series answered 202 must be delivered.
 * </ul>
 * The kill, brownout and card phases send points that carry their identity (every value, and every card
 * series, is a sequence number sent once), so the stand-in's record tells point by point whether each arrived
 * and how many times. Throughout, every running gateway's GET /metrics is scraped every
 * {@value #SCRAPE_MILLIS} ms and its ledger checked: in = out + dropped + held, summed over labels, exactly.
 * The soak exits 1 on any unexplained loss, ledger imbalance, uncounted duplicate, or gateway that died.
 *
 * <p>Run: {@code make soak} (SOAK_SECONDS, default 180; SOAK_SEED, default random and printed), or
 * {@code java -cp target/test-classes:<test classpath> com.cwgateway.soak.Soak <seconds> [seed]} from the
 * project. Environment: SOAK_PHASES (e.g. {@code brownout,card}) runs some phases only; SOAK_CARD_BUFFER_BYTES
 * sets the card gateway's MAX_BUFFER_BYTES (default: the gateway's own, a third of its heap); SOAK_POISON=unnamed
 * answers poison with a 400 that names no datum. Each gateway's log is kept in target/soak-logs.
 */
public final class Soak {

    private static final Pattern TOTALS = Pattern.compile(
            "accepted=(\\S+) replayed=(\\S+) published=(\\S+) dropped=(\\S+) \\([^)]*\\) spooled=(\\S+) "
                    + "buffered=(\\S+) in_flight=(\\S+) retried=(\\S+) possibly_duplicated=(\\S+)");
    private static final Pattern STOPPED = Pattern.compile("stopped in .*" + TOTALS.pattern());
    private static final int ACCEPTED = 0;
    private static final int REPLAYED = 1;
    private static final int PUBLISHED = 2;
    private static final int DROPPED = 3;
    private static final int SPOOLED = 4;
    private static final int POSSIBLY_DUPLICATED = 8;
    private static final Pattern SAMPLE = Pattern.compile("([a-z_]+)(\\{[^}]*})? (\\S+)");

    private static final int KILLS = 4;
    private static final long SCRAPE_MILLIS = 2000;
    private static final int CARD_SERIES_PER_REQUEST = 1000;
    private static final int CARD_CLIENTS = 3;
    /** Where the card gateway's JVM believes it runs: deploy/kubernetes gives the container 512 MiB. */
    private static final String CARD_CONTAINER = "-XX:MaxRAM=512m";

    private static final List<String> PHASES = List.of("mixed", "kill", "brownout", "card");

    private final int seconds;
    private final long seed;
    /** SOAK_PHASES (environment): a comma-separated subset of {@link #PHASES}, to run one phase alone. */
    private final List<String> phases;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every reason the soak fails, as it is found. */
    private final List<String> problems = new CopyOnWriteArrayList<>();
    /** Every phase's gateway, for the ledger scraper. */
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final Map<String, PhaseResult> results = new ConcurrentHashMap<>();
    private final Map<String, List<String>> details = new ConcurrentHashMap<>();
    private final long startNanos = System.nanoTime();

    // The mixed phase, counted in totals since its values repeat, in two units: points as the gateway's ledger
    // counts them (one per Value, one per entry of Values) and samples as CloudWatch stores them (a Values
    // entry's Count). Every sum below holds both: [0] points, [1] samples.
    private final Tally accepted = new Tally();
    private final Tally acceptedPoison = new Tally();
    /** Requests that got no answer: the gateway may have taken them (HTTP cannot tell). */
    private final Tally unanswered = new Tally();
    private final Tally unansweredPoison = new Tally();
    private final LongAdder requests = new LongAdder();
    /** What the mixed stand-in was sent, tallied as calls arrive: it keeps none (millions of datums). */
    private final LongAdder mixedCalls = new LongAdder();
    private final DoubleAdder deliveredSamples = new DoubleAdder();
    private final DoubleAdder deliveredPoisonSamples = new DoubleAdder();
    private final Map<String, Long> mixedAnswers = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final AtomicBoolean loading = new AtomicBoolean(true);

    private Soak(int seconds, long seed, List<String> phases) {
        this.seconds = seconds;
        this.seed = seed;
        this.phases = phases;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 180;
        long seed = args.length > 1 && !args[1].isBlank() ? Long.parseLong(args[1].trim())
                : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        String only = System.getenv("SOAK_PHASES");
        List<String> phases = only == null || only.isBlank() ? PHASES
                : Stream.of(only.split(",")).map(String::trim).filter(PHASES::contains).toList();
        System.exit(new Soak(seconds, seed, phases).run() ? 0 : 1);
    }

    /**
     * CloudWatch's answer to a call holding poison: a 400 naming the first poison datum
     * ({@code MetricData.member.N}), as CloudWatch names a bad datum; with SOAK_POISON=unnamed, a 400 that
     * names none, so the gateway halves chunks to find the poison (see bench/RESULTS.md: under this load its
     * 64-call budget runs out and whole chunks of good points are dropped with the poison).
     */
    private static final Function<RecordedCall, StandInResponse> POISON =
            "unnamed".equals(System.getenv("SOAK_POISON"))
                    ? call -> containsPoison(call) ? StandInResponse.badRequest("InvalidParameterValue",
                            "The value for MetricName is invalid (soak poison)") : StandInResponse.ok()
                    : StandInResponse.rejectingDatums(datum -> datum.metricName().startsWith("poison"));

    /** Faults for a healthy-but-flaky CloudWatch: one call in five fails somehow. */
    private static StandInResponse flaky(RecordedCall call) {
        StandInResponse poison = POISON.apply(call);
        if (!poison.isOk()) {
            return poison;
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
            // Slower than the call's timeout (and an attempt's), and then not stored: a real CloudWatch might store it, and the
            // retry would count it twice (the README says so); the brownout phase stores such answers.
            return StandInResponse.delayed(Duration.ofSeconds(3), StandInResponse.serverError());
        }
        if (roll < 20) {
            return StandInResponse.accessDenied();
        }
        return StandInResponse.ok();
    }

    /** Faults that store nothing and answer at once, so that the kill phase's duplicates come from kills alone. */
    private static StandInResponse flakyQuick(RecordedCall call) {
        int roll = ThreadLocalRandom.current().nextInt(100);
        if (roll < 5) {
            return StandInResponse.throttling();
        }
        if (roll < 10) {
            return StandInResponse.serverError();
        }
        if (roll < 13) {
            return StandInResponse.dropConnection();
        }
        return StandInResponse.ok();
    }

    private static boolean containsPoison(RecordedCall call) {
        return call.datums().stream().anyMatch(datum -> datum.metricName().startsWith("poison"));
    }

    boolean run() throws Exception {
        log("seed " + seed + " (SOAK_SEED=" + seed + " repeats the kill moments, the brownout's delays and the "
                + "clients' payloads); " + seconds + " s of mixed load, the other phases beside it");
        try (CloudWatchStandIn mixed = CloudWatchStandIn.start();
             CloudWatchStandIn kill = CloudWatchStandIn.start();
             CloudWatchStandIn brownout = CloudWatchStandIn.start();
             CloudWatchStandIn card = CloudWatchStandIn.start()) {
            AtomicBoolean scraping = new AtomicBoolean(true);
            Thread scraper = Thread.ofPlatform().daemon().name("ledger-scraper").start(() -> {
                while (scraping.get()) {
                    targets.forEach(this::check);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(SCRAPE_MILLIS));
                }
            });
            Thread others = Thread.ofPlatform().name("soak-phases").start(() -> {
                guarded("kill", () -> killPhase(kill));
                guarded("brownout", () -> brownoutPhase(brownout));
                guarded("card", () -> cardPhase(card));
            });
            guarded("mixed", () -> mixedPhase(mixed));
            others.join();
            scraping.set(false);
            scraper.join();
            return report();
        }
    }

    private interface Phase {
        void run() throws Exception;
    }

    /** Runs a phase (if SOAK_PHASES has it); whatever escapes it fails the soak, and the other phases go on. */
    private void guarded(String phase, Phase body) {
        if (!phases.contains(phase)) {
            return;
        }
        try {
            body.run();
        } catch (Exception | AssertionError e) {
            fail(phase + ": " + e);
        }
    }

    private void fail(String problem) {
        problems.add(problem);
        log("PROBLEM " + problem);
    }

    // ----------------------------------------------------------------------------------------------------------
    // mixed

    private void mixedPhase(CloudWatchStandIn cloudWatch) throws Exception {
        Function<RecordedCall, StandInResponse> flaky = Soak::flaky;
        cloudWatch.setDefaultResponder(flaky);
        cloudWatch.streamCalls(this::tallyMixed);
        // 1 s an attempt: the 3 s answers time out, while ok answers slowed by the other phases on two shared
        // cores do not (at 0.5 s an attempt, a trial run counted 105670 points as possibly duplicated, which
        // loosens this phase's check of totals).
        Target gateway = new Target("mixed", cloudWatch.endpoint(), Map.of("METRICS_FLUSH_INTERVAL", "1000",
                "CLOUDWATCH_TIMEOUT_MS", "3000", "SHUTDOWN_TIMEOUT_MS", "4000", "MAX_SERIES", "0"));
        gateway.start();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 4; client++) {
            Random random = new Random(seed + client);
            clients.add(Thread.ofVirtual().start(() -> load(random, gateway)));
        }
        long half = System.nanoTime() + Duration.ofSeconds(seconds / 2).toNanos();
        progressUntil(half, cloudWatch);

        log("mixed: outage: CloudWatch answers 500 to everything; stopping the gateway (it spools)");
        cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
        gateway.stop();
        cloudWatch.setDefaultResponder(flaky);
        log("mixed: CloudWatch is back (flaky again); starting a new gateway (it replays the spool)");
        gateway.start();

        progressUntil(half + Duration.ofSeconds(seconds - seconds / 2).toNanos(), cloudWatch);
        loading.set(false);
        for (Thread client : clients) {
            client.join();
        }
        log("mixed: load stopped; CloudWatch heals (only poison is refused); stopping the gateway");
        // Isolating poison under faults can outlast SHUTDOWN_TIMEOUT_MS: then the rest was spooled, and one
        // more start, with CloudWatch healthy, delivers it.
        finish(gateway, cloudWatch, POISON);
        mixedResult(gateway);
    }

    private void progressUntil(long deadlineNanos, CloudWatchStandIn cloudWatch) throws InterruptedException {
        while (System.nanoTime() < deadlineNanos) {
            Thread.sleep(Math.min(10_000, Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000)));
            log(String.format("mixed: %d requests, %.0f points accepted, %d PutMetricData calls so far",
                    requests.sum(), (double) accepted.points.sum(), mixedCalls.sum()));
        }
    }

    private void tallyMixed(RecordedCall call) {
        mixedCalls.increment();
        mixedAnswers.merge(answerName(call), 1L, Long::sum);
        if (call.accepted()) {
            for (RecordedDatum datum : call.datums()) {
                (datum.metricName().startsWith("poison") ? deliveredPoisonSamples : deliveredSamples).add(samples(datum));
            }
        }
    }

    /** One client: mixed /metrics and /batch requests of random series, a poison datum now and then. */
    private void load(Random random, Target gateway) {
        while (loading.get()) {
            int port = gateway.port.get();
            if (port == 0) {
                LockSupport.parkNanos(10_000_000); // a gateway is (re)starting
                continue;
            }
            boolean batch = random.nextInt(4) == 0;
            int inputs = batch ? 1 + random.nextInt(5) : 1;
            long points = 0;
            double samples = 0;
            long poisonPoints = 0;
            double poisonSamples = 0;
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
                    int entries = 1;
                    if (random.nextInt(10) == 0) {
                        int n = 1 + random.nextInt(5);
                        entries = n;
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
                    points += entries;
                    samples += these;
                    poisonPoints += isPoison ? entries : 0;
                    poisonSamples += isPoison ? these : 0;
                }
                bodies.add("{\"Namespace\":\"Soak/" + random.nextInt(3) + "\",\"MetricData\":[" + String.join(",", datums) + "]}");
            }
            String path = batch ? "/batch" : "/metrics";
            String body = batch ? "[" + String.join(",", bodies) + "]" : bodies.getFirst();
            HttpResponse<String> response = post(port, path, body, Duration.ofSeconds(10));
            if (response != null) {
                requests.increment();
                statuses.computeIfAbsent(response.statusCode(), status -> new LongAdder()).increment();
                if (response.statusCode() == 202) {
                    accepted.add(points, samples);
                    acceptedPoison.add(poisonPoints, poisonSamples);
                }
            } else {
                // The gateway is restarting, or closed the connection while stopping. Usually nothing was
                // accepted, but a request taken just before the stop may have lost its answer on the way:
                // the client cannot tell, would retry, and the points would arrive twice (at least once).
                statuses.computeIfAbsent(-1, status -> new LongAdder()).increment();
                unanswered.add(points, samples);
                unansweredPoison.add(poisonPoints, poisonSamples);
            }
        }
    }

    /** Points and samples, added up by several clients. */
    private static final class Tally {
        final LongAdder points = new LongAdder();
        final DoubleAdder samples = new DoubleAdder();

        void add(long morePoints, double moreSamples) {
            points.add(morePoints);
            samples.add(moreSamples);
        }
    }

    /** The most samples one point of the mixed load carries: a Values entry with a Count of 3. */
    private static final int MAX_SAMPLES_PER_POINT = 3;

    /**
     * The mixed phase's values repeat, so only totals can be compared. In points (the gateways' ledger): the
     * gateways took what the clients were told 202 for, and perhaps some of what got no answer; they dropped
     * exactly the poison. In samples (what CloudWatch stores): every sample answered 202, poison aside, reached
     * CloudWatch; more is allowed for requests without an answer and for copies the gateways counted as possibly
     * duplicated (a point of this load carries at most {@value #MAX_SAMPLES_PER_POINT} samples). A loss hidden
     * behind as many counted duplicates would pass here; the other phases count every point by its identity.
     */
    private void mixedResult(Target gateway) throws IOException {
        double delivered = deliveredSamples.sum();
        double deliveredPoison = deliveredPoisonSamples.sum();
        double gatewayAccepted = gateway.total(ACCEPTED);
        double gatewayDropped = gateway.total(DROPPED);
        double possiblyDuplicated = gateway.total(POSSIBLY_DUPLICATED);
        double spooled = gateway.total(SPOOLED);
        double replayed = gateway.total(REPLAYED);
        double takenUnanswered = gatewayAccepted - accepted.points.sum();
        double owed = accepted.samples.sum() - acceptedPoison.samples.sum();
        double extra = delivered - owed;
        double extraAllowed = unanswered.samples.sum() - unansweredPoison.samples.sum()
                + possiblyDuplicated * MAX_SAMPLES_PER_POINT;
        long spoolFiles = segments(gateway.spool).size();
        if (takenUnanswered < 0 || takenUnanswered > unanswered.points.sum()) {
            fail("mixed: the gateways counted " + fmt(gatewayAccepted) + " points accepted, the clients "
                    + fmt(accepted.points.sum()) + " answered 202 and " + fmt(unanswered.points.sum()) + " unanswered");
        }
        if (extra < -1e-6) {
            fail("mixed: " + fmt(-extra) + " samples answered 202 never reached CloudWatch (poison aside)");
        }
        if (extra > extraAllowed + 1e-6) {
            fail("mixed: CloudWatch got " + fmt(extra) + " samples more than were answered 202, beyond the "
                    + fmt(extraAllowed) + " that unanswered requests and the gateways' " + fmt(possiblyDuplicated)
                    + " possibly duplicated points allow");
        }
        double poison = acceptedPoison.points.sum();
        if (deliveredPoison != 0 || gatewayDropped > poison + unansweredPoison.points.sum()
                || gatewayDropped < poison) {
            fail("mixed: dropped " + fmt(gatewayDropped) + " points, but " + fmt(poison) + " poison points were "
                    + "accepted (" + fmt(unansweredPoison.points.sum()) + " more unanswered) and "
                    + fmt(deliveredPoison) + " poison samples delivered");
        }
        if (spoolFiles != 0 || Math.abs(replayed - spooled) > 1e-6) {
            fail("mixed: " + spoolFiles + " spool segments left; " + fmt(spooled) + " points spooled, "
                    + fmt(replayed) + " replayed");
        }
        Map<String, Long> answers = new TreeMap<>(mixedAnswers);
        results.put("mixed", new PhaseResult("mixed (samples)", accepted.samples.sum(), unanswered.samples.sum(),
                delivered, gatewayDropped, Math.max(0, extra), extraAllowed, Math.max(0, -extra)));
        details.put("mixed", List.of(
                row("gateway processes (each stopped by SIGTERM)", String.valueOf(gateway.totals.size())),
                row("requests sent", requests.sum() + " (answers by status: " + summary(statuses)
                        + "; -1 = no answer while restarting)"),
                row("points accepted (202, counted by the clients)", fmt(accepted.points.sum())
                        + " (the gateways counted " + fmt(gatewayAccepted) + "); samples: " + fmt(accepted.samples.sum())),
                row("samples delivered to CloudWatch", fmt(delivered) + " (the gateways counted "
                        + fmt(gateway.total(PUBLISHED)) + " points published)"),
                row("points dropped, rejected by CloudWatch (poison)", fmt(gatewayDropped) + " (of " + fmt(poison)
                        + " poison points accepted; " + fmt(deliveredPoison) + " poison samples delivered)"),
                row("points spooled at stops, replayed at starts", fmt(spooled) + ", " + fmt(replayed)),
                row("points counted possibly duplicated; samples delivered beyond those answered 202",
                        fmt(possiblyDuplicated) + "; " + fmt(extra)),
                row("PutMetricData calls, by answer", answers.toString()),
                row("WARNING/SEVERE log lines", String.valueOf(gateway.warnings)),
                row("spool segments left", String.valueOf(spoolFiles)),
                row("points of requests that got no answer", fmt(unanswered.points.sum()) + " (the gateways took "
                        + fmt(takenUnanswered) + " of them: delivered, though their clients were not told)")));
    }

    // ----------------------------------------------------------------------------------------------------------
    // kill -9

    /** One kill -9 and the start after it. */
    private record Kill(int number, double atSeconds, long delayMillis, int exit, int segments,
                        double sealedReplayed, double openReplayed, double possiblyDuplicated) {}

    /**
     * Kills the gateway {@value #KILLS} times under load, at moments drawn from the seed, and starts it again on
     * the same SPOOL_DIR. Nothing answered 202 may be missing at the end.
     *
     * <p>The bound on duplicates. With DURABILITY=disk a request is in the spool before its 202, and a segment
     * is deleted (trimmed) only once a flush published or carried forward all it holds. So a kill can repeat
     * only what the killed gateway had drained for publishing, or carried forward, since its last trim; that
     * lies in the segments that were sealed at the kill. The segment being written at the kill (the newest)
     * holds requests accepted since the last drain, never published (or carried copies of points whose older
     * copy is in a sealed segment, counted there). A start replays every segment, oldest first, and logs
     * "replayed N points from FILE" for each; the soak waits for those lines before the next kill, so the bound
     * of a kill is the points replayed from the segments sealed at it: every extra copy CloudWatch gets maps to
     * one of them. The stand-in here stores nothing it did not answer at once, so the only other source is a
     * call that timed out after an ok under load, counted as possibly duplicated (read for a killed gateway from
     * its last scrape, just before the kill).
     */
    private void killPhase(CloudWatchStandIn cloudWatch) throws Exception {
        long phaseStart = System.nanoTime();
        cloudWatch.setDefaultResponder(Soak::flakyQuick);
        Target gateway = new Target("kill", cloudWatch.endpoint(), Map.of("METRICS_FLUSH_INTERVAL", "1000",
                "CLOUDWATCH_TIMEOUT_MS", "6000", "SHUTDOWN_TIMEOUT_MS", "4000", "MAX_SERIES", "0"));
        gateway.start();
        Tracked tracked = new Tracked("Soak/kill");
        List<Thread> clients = trackedClients(tracked, gateway, seed + 100, 5);
        Random moments = new Random(seed);
        long cycleMillis = Math.max(3000, seconds * 1000L / 3 / KILLS);
        List<Kill> kills = new ArrayList<>();
        log("kill: " + KILLS + " kill -9s under load, each 1000 to " + cycleMillis + " ms after the last start and its replay");
        for (int number = 1; number <= KILLS; number++) {
            long delay = 1000 + moments.nextLong(cycleMillis - 1000);
            Thread.sleep(delay);
            Scrape last = check(gateway);
            double possiblyDuplicated = last != null ? last.possiblyDuplicated()
                    : gateway.lastScrape != null ? gateway.lastScrape.possiblyDuplicated() : 0;
            double at = (System.nanoTime() - phaseStart) / 1e9;
            int exit = gateway.kill();
            if (exit != 137) {
                fail("kill: kill -9 #" + number + " ended the gateway with exit " + exit + ", not 137");
            }
            gateway.killedPossiblyDuplicated += possiblyDuplicated;
            List<Path> segments = segments(gateway.spool);
            GatewayProcess started = gateway.start();
            double sealed = 0;
            double open = 0;
            for (int i = 0; i < segments.size(); i++) {
                Matcher replayed = started.stderrLines().await(Pattern.compile("replayed (\\S+) points from "
                        + Pattern.quote(segments.get(i).toString()) + "$"), Duration.ofSeconds(60));
                if (replayed == null) {
                    fail("kill: after kill -9 #" + number + " the new gateway did not say it replayed "
                            + segments.get(i) + " within 60 s; the bound on duplicates is unknown");
                    continue;
                }
                double points = Double.parseDouble(replayed.group(1));
                if (i < segments.size() - 1) {
                    sealed += points;
                } else {
                    open += points;
                }
            }
            Kill kill = new Kill(number, at, delay, exit, segments.size(), sealed, open, possiblyDuplicated);
            kills.add(kill);
            log(String.format("kill: kill -9 #%d at %.1f s (%d ms after the last start and its replay), exit %d; %d segments left, "
                            + "replayed: %s points from the sealed ones (the bound), %s from the open one; "
                            + "%d points answered 202 so far", number, at, delay, exit, segments.size(), fmt(sealed),
                    fmt(open), tracked.acceptedCount()));
        }
        Thread.sleep(3000);
        stop(tracked, clients);
        log("kill: load stopped; CloudWatch heals; stopping the gateway");
        finish(gateway, cloudWatch, call -> StandInResponse.ok());

        Count count = count(tracked, cloudWatch);
        double bound = kills.stream().mapToDouble(Kill::sealedReplayed).sum() + gateway.killedPossiblyDuplicated
                + gateway.total(POSSIBLY_DUPLICATED);
        checkTracked("kill", tracked, count, gateway, bound);
        results.put("kill", new PhaseResult("kill -9", count.accepted(), count.unanswered(), count.delivered(),
                gateway.dropped(), count.duplicates(), bound, count.lost()));
        List<String> lines = new ArrayList<>();
        lines.add("| kill | at (s into the phase) | waited (after the start and its replay) | exit | segments at the kill | "
                + "replayed from the sealed ones (the bound) | from the open one | possibly duplicated (last scrape) |");
        lines.add("|---|---|---|---|---|---|---|---|");
        for (Kill kill : kills) {
            lines.add(String.format("| #%d | %.1f | %d ms | %d | %d | %s | %s | %s |", kill.number(), kill.atSeconds(),
                    kill.delayMillis(), kill.exit(), kill.segments(), fmt(kill.sealedReplayed()),
                    fmt(kill.openReplayed()), fmt(kill.possiblyDuplicated())));
        }
        lines.add("");
        lines.add(trackedSummary(tracked, count, gateway));
        details.put("kill", lines);
    }

    // ----------------------------------------------------------------------------------------------------------
    // brownout

    /**
     * CloudWatch answers every call slowly, and stores it: 1.5 s for two calls in three, 0.7 s for the third
     * (drawn from the seed), with CLOUDWATCH_TIMEOUT_MS=3000, so 1 s an attempt. An attempt answered in 1.5 s
     * times out after CloudWatch stored it and is retried: the chunk is stored again. The gateway counts such
     * attempts as possibly duplicated; the stand-in's extra copies (points counted by identity) must not
     * exceed that count.
     */
    private void brownoutPhase(CloudWatchStandIn cloudWatch) throws Exception {
        Random delays = new Random(seed * 31 + 17);
        cloudWatch.setDefaultResponder(call -> StandInResponse.delayed(
                Duration.ofMillis(delays.nextInt(3) == 0 ? 700 : 1500), StandInResponse.ok()));
        Target gateway = new Target("brownout", cloudWatch.endpoint(), Map.of("METRICS_FLUSH_INTERVAL", "1000",
                "CLOUDWATCH_TIMEOUT_MS", "3000", "SHUTDOWN_TIMEOUT_MS", "8000", "MAX_SERIES", "0"));
        gateway.start();
        Tracked tracked = new Tracked("Soak/brownout");
        List<Thread> clients = trackedClients(tracked, gateway, seed + 200, 10);
        int brownoutSeconds = Math.max(10, seconds / 6);
        log("brownout: CloudWatch answers every call in 1.5 s (one in three in 0.7 s) for " + brownoutSeconds
                + " s; 1 s an attempt");
        Thread.sleep(brownoutSeconds * 1000L);
        stop(tracked, clients);
        log("brownout: load stopped; CloudWatch answers at once again");
        finish(gateway, cloudWatch, call -> StandInResponse.ok());

        Count count = count(tracked, cloudWatch);
        double possiblyDuplicated = gateway.total(POSSIBLY_DUPLICATED);
        checkTracked("brownout", tracked, count, gateway, possiblyDuplicated);
        results.put("brownout", new PhaseResult("brownout", count.accepted(), count.unanswered(), count.delivered(),
                gateway.dropped(), count.duplicates(), possiblyDuplicated, count.lost()));
        Map<String, Long> attempts = new TreeMap<>();
        cloudWatch.calls().forEach(call -> attempts.merge("attempt " + call.attempt(), 1L, Long::sum));
        details.put("brownout", List.of(
                String.format("**inflation %.3f**: the stand-in stored %d points for %d distinct points sent "
                                + "(%d extra copies); the gateway counted %s points as possibly duplicated; "
                                + "PutMetricData calls by the SDK's attempt number: %s", inflation(count),
                        count.delivered(), count.distinct(), count.duplicates(), fmt(possiblyDuplicated), attempts),
                "",
                trackedSummary(tracked, count, gateway)));
    }

    private static double inflation(Count count) {
        return count.distinct() == 0 ? 1 : (double) count.delivered() / count.distinct();
    }

    // ----------------------------------------------------------------------------------------------------------
    // high-cardinality outage

    /**
     * CloudWatch answers 500 to everything while {@value #CARD_CLIENTS} clients post
     * {@value #CARD_SERIES_PER_REQUEST} new series a request until each is told 503 BufferFull, then 10 s more,
     * waiting Retry-After between tries. The gateway runs with the Dockerfile's flags (GatewayProcess) in a
     * simulated 512 MiB container and must stay alive (it answers /healthcheck and never logs an
     * OutOfMemoryError); then CloudWatch heals and every series answered 202 must be delivered.
     */
    private void cardPhase(CloudWatchStandIn cloudWatch) throws Exception {
        String budget = System.getenv().getOrDefault("SOAK_CARD_BUFFER_BYTES", "0");
        cloudWatch.setDefaultResponder(call -> StandInResponse.serverError());
        Target gateway = new Target("card", cloudWatch.endpoint(), Map.of("METRICS_FLUSH_INTERVAL", "1000",
                "CLOUDWATCH_TIMEOUT_MS", "3000", "SHUTDOWN_TIMEOUT_MS", "10000", "MAX_SERIES", "0",
                "MAX_BUFFER_BYTES", budget, "JAVA_TOOL_OPTIONS", CARD_CONTAINER));
        GatewayProcess process = gateway.start();
        Tracked tracked = new Tracked("Soak/card");
        CardFigures figures = new CardFigures();
        CountDownLatch allFull = new CountDownLatch(CARD_CLIENTS);
        log("card: CloudWatch answers 500 to everything; " + CARD_CLIENTS + " clients post "
                + CARD_SERIES_PER_REQUEST + " new series a request (MAX_BUFFER_BYTES=" + budget + ", "
                + CARD_CONTAINER + ")");
        long fillStart = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < CARD_CLIENTS; client++) {
            clients.add(Thread.ofVirtual().start(() -> cardLoad(tracked, gateway, figures, allFull)));
        }
        boolean full = allFull.await(Math.max(90, seconds / 2), TimeUnit.SECONDS);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        Scrape atFull = check(gateway);
        if (!full) {
            fail("card: not every client was told 503 BufferFull within " + Math.max(90, seconds / 2) + " s");
        }
        log(String.format("card: every client told BufferFull after %.1f s, %d series accepted; 10 s more",
                fillSeconds, tracked.acceptedCount()));
        Thread.sleep(10_000);
        stop(tracked, clients);
        Scrape afterFlood = check(gateway);
        HttpResponse<String> health = get(gateway.port.get(), "/healthcheck");
        long outOfMemory = process.stderrLines().lines().stream().filter(line -> line.contains("OutOfMemoryError")).count();
        if (health == null || health.statusCode() != 200) {
            fail("card: after the flood GET /healthcheck answered " + (health == null ? "nothing" : health.statusCode())
                    + "; the gateway's last log lines:\n" + tail(process, 20));
        }
        if (outOfMemory > 0) {
            fail("card: the gateway logged " + outOfMemory + " lines naming OutOfMemoryError:\n" + tail(process, 40));
        }
        if (figures.fulls.sum() == 0) {
            fail("card: no request was refused with 503 BufferFull");
        }
        if (figures.malformed.sum() > 0) {
            fail("card: " + figures.malformed.sum() + " 503s were not BufferFull with Retry-After, e.g. "
                    + figures.example);
        }
        // Not a failure of this soak (nothing is lost, the JVM lives), but then the cap does not bound the buffer.
        // Requests are refused at the budget; what a failed flush puts back cannot be, and its estimate may differ
        // by the identity table's error of a few per cent.
        double capacity = atFull == null ? -1 : atFull.bufferCapacity();
        if (capacity > 0 && gateway.maxBufferBytes > capacity * 1.05) {
            fail("card: the buffer held " + mib(gateway.maxBufferBytes) + " MiB by its own estimate, more than 5% over"
                    + " its budget of " + mib(capacity) + " MiB");
        }
        log("card: CloudWatch heals");
        finish(gateway, cloudWatch, call -> StandInResponse.ok());

        Count count = count(tracked, cloudWatch);
        double possiblyDuplicated = gateway.total(POSSIBLY_DUPLICATED);
        checkTracked("card", tracked, count, gateway, possiblyDuplicated);
        results.put("card", new PhaseResult("high-cardinality outage", count.accepted(), count.unanswered(),
                count.delivered(), gateway.dropped(), count.duplicates(), possiblyDuplicated, count.lost()));
        details.put("card", List.of(
                String.format("requests: %d (by status: %s); **503 BufferFull: %d**, each with Retry-After (%s s), "
                                + "%d without; every client refused after %.1f s", tracked.requests.sum(),
                        summary(tracked.statuses), figures.fulls.sum(), figures.retryAfter, figures.malformed.sum(),
                        fillSeconds),
                String.format("series answered 202: %d, delivered %d (distinct %d); buffer budget %s MiB, the "
                                + "most held at a scrape: %s points, %s MiB by the gateway's estimate (%s B a series); "
                                + "JVM: the Dockerfile's flags with %s: max heap %s MiB, heap used %s MiB and "
                                + "resident %s MiB when every client was refused, %s MiB resident after the flood; "
                                + "/healthcheck after the flood: %s; OutOfMemoryError lines: %d",
                        count.accepted(), count.delivered(), count.distinct(), mib(capacity), fmt(gateway.maxHeld),
                        mib(gateway.maxBufferBytes), gateway.maxHeld == 0 ? "-"
                                : String.valueOf(Math.round(gateway.maxBufferBytes / gateway.maxHeld)),
                        CARD_CONTAINER,
                        mib(atFull == null ? -1 : atFull.heapMax()), mib(atFull == null ? -1 : atFull.heapUsed()),
                        mib(atFull == null ? -1 : atFull.resident()), mib(afterFlood == null ? -1 : afterFlood.resident()),
                        health == null ? "no answer" : String.valueOf(health.statusCode()), outOfMemory),
                "",
                trackedSummary(tracked, count, gateway)));
    }

    private static final class CardFigures {
        final LongAdder fulls = new LongAdder();
        final LongAdder malformed = new LongAdder();
        volatile String retryAfter = "none";
        volatile String example;
    }

    /** One card client: requests of new series, each its own id; after a 503 it waits Retry-After seconds. */
    private void cardLoad(Tracked tracked, Target gateway, CardFigures figures, CountDownLatch allFull) {
        boolean refused = false;
        while (tracked.running) {
            int port = gateway.port.get();
            if (port == 0) {
                LockSupport.parkNanos(10_000_000);
                continue;
            }
            long from = tracked.next.getAndAdd(CARD_SERIES_PER_REQUEST);
            StringBuilder body = new StringBuilder(CARD_SERIES_PER_REQUEST * 100)
                    .append("{\"Namespace\":\"").append(tracked.namespace).append("\",\"MetricData\":[");
            for (long id = from; id < from + CARD_SERIES_PER_REQUEST; id++) {
                body.append(id == from ? "" : ",").append("{\"MetricName\":\"series\",\"Dimensions\":[{\"Name\":\"Id\",")
                        .append("\"Value\":\"s").append(id).append("\"}],\"Value\":").append(id)
                        .append(",\"Unit\":\"Count\"}");
            }
            body.append("]}");
            HttpResponse<String> response = post(port, "/metrics", body.toString(), Duration.ofSeconds(30));
            tracked.record(from, from + CARD_SERIES_PER_REQUEST, response == null ? -1 : response.statusCode());
            if (response != null && response.statusCode() == 503) {
                figures.fulls.increment();
                String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
                if (retryAfter == null || !response.body().contains("\"BufferFull\"")) {
                    figures.malformed.increment();
                    figures.example = "Retry-After " + retryAfter + ", " + response.body();
                } else {
                    figures.retryAfter = retryAfter;
                }
                if (!refused) {
                    refused = true;
                    allFull.countDown();
                }
                long wait = retryAfter == null ? 1 : Math.min(5, Math.max(0, parseLong(retryAfter, 1)));
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(wait));
            }
        }
        if (!refused) {
            allFull.countDown();
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // points that carry their identity

    /**
     * Points whose every value is a sequence number used once (in the card phase, each series too), so the
     * stand-in's record says, point by point, whether it arrived and how often. Ids are allocated per request;
     * a request's ids are accepted (202), unanswered (it may have been taken) or refused (anything else).
     */
    private static final class Tracked {
        final String namespace;
        final AtomicLong next = new AtomicLong();
        private final BitSet accepted = new BitSet();
        private final BitSet unanswered = new BitSet();
        final LongAdder requests = new LongAdder();
        final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        volatile boolean running = true;

        Tracked(String namespace) {
            this.namespace = namespace;
        }

        synchronized void record(long from, long to, int status) {
            requests.increment();
            statuses.computeIfAbsent(status, key -> new LongAdder()).increment();
            if (status == 202) {
                accepted.set(Math.toIntExact(from), Math.toIntExact(to));
            } else if (status < 0) {
                unanswered.set(Math.toIntExact(from), Math.toIntExact(to));
            }
        }

        synchronized long acceptedCount() {
            return accepted.cardinality();
        }
    }

    /** Two clients of tracked points, seeded from {@code seed}, each pausing {@code pauseMillis} between requests. */
    private List<Thread> trackedClients(Tracked tracked, Target gateway, long seed, long pauseMillis) {
        List<Thread> clients = new ArrayList<>();
        for (int client = 0; client < 2; client++) {
            Random random = new Random(seed + client);
            clients.add(Thread.ofVirtual().start(() -> trackedLoad(tracked, gateway, random, pauseMillis)));
        }
        return clients;
    }

    private static void stop(Tracked tracked, List<Thread> clients) throws InterruptedException {
        tracked.running = false;
        for (Thread client : clients) {
            client.join();
        }
    }

    /** One client of the kill and brownout phases: /metrics and /batch requests of tracked points. */
    private void trackedLoad(Tracked tracked, Target gateway, Random random, long pauseMillis) {
        while (tracked.running) {
            int port = gateway.port.get();
            if (port == 0) {
                LockSupport.parkNanos(10_000_000); // a gateway is (re)starting
                continue;
            }
            boolean batch = random.nextInt(4) == 0;
            int[][] shape = new int[batch ? 1 + random.nextInt(3) : 1][];
            int points = 0;
            for (int input = 0; input < shape.length; input++) {
                shape[input] = new int[batch ? 1 + random.nextInt(100) : 1 + random.nextInt(3)];
                for (int datum = 0; datum < shape[input].length; datum++) {
                    shape[input][datum] = random.nextInt(10) == 0 ? 2 + random.nextInt(4) : 1;
                    points += shape[input][datum];
                }
            }
            long from = tracked.next.getAndAdd(points);
            long id = from;
            List<String> bodies = new ArrayList<>();
            for (int[] datums : shape) {
                StringBuilder json = new StringBuilder("{\"Namespace\":\"").append(tracked.namespace)
                        .append("\",\"MetricData\":[");
                for (int datum = 0; datum < datums.length; datum++) {
                    json.append(datum == 0 ? "" : ",").append("{\"MetricName\":\"p").append(random.nextInt(5))
                            .append("\",\"Dimensions\":[{\"Name\":\"Host\",\"Value\":\"h").append(random.nextInt(3))
                            .append("\"}],");
                    if (datums[datum] == 1) {
                        json.append("\"Value\":").append(id++);
                    } else {
                        StringBuilder values = new StringBuilder();
                        StringBuilder counts = new StringBuilder();
                        for (int v = 0; v < datums[datum]; v++) {
                            values.append(v == 0 ? "" : ",").append(id++);
                            counts.append(v == 0 ? "" : ",").append('1');
                        }
                        json.append("\"Values\":[").append(values).append(']');
                        if (random.nextBoolean()) {
                            json.append(",\"Counts\":[").append(counts).append(']');
                        }
                    }
                    json.append(",\"Unit\":\"Count\"}");
                }
                bodies.add(json.append("]}").toString());
            }
            String body = batch ? "[" + String.join(",", bodies) + "]" : bodies.getFirst();
            HttpResponse<String> response = post(port, batch ? "/batch" : "/metrics", body, Duration.ofSeconds(10));
            tracked.record(from, id, response == null ? -1 : response.statusCode());
            if (pauseMillis > 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
        }
    }

    /**
     * What the stand-in stored of tracked points: copies in all (delivered), distinct points, extra copies,
     * points answered 202 that never arrived (lost), and points that arrived though no client was answered 202
     * nor left without an answer for them, or that no client sent (phantom).
     */
    private record Count(long accepted, long unanswered, long delivered, long distinct, long duplicates, long lost,
                         long phantom, List<Long> lostIds) {}

    private static Count count(Tracked tracked, CloudWatchStandIn cloudWatch) {
        int ids = Math.toIntExact(tracked.next.get());
        int[] copies = new int[ids];
        long[] phantom = {0};
        for (RecordedCall call : cloudWatch.acceptedCalls()) {
            boolean ours = tracked.namespace.equals(call.namespace());
            for (RecordedDatum datum : call.datums()) {
                forEachValue(datum, (value, count) -> {
                    if (!ours || value != Math.rint(value) || value < 0 || value >= ids || count != Math.rint(count)) {
                        phantom[0] += (long) Math.ceil(count);
                    } else {
                        copies[(int) value] += (int) count;
                    }
                });
            }
        }
        long delivered = 0;
        long distinct = 0;
        long duplicates = 0;
        long lost = 0;
        List<Long> lostIds = new ArrayList<>();
        synchronized (tracked) {
            for (int id = 0; id < ids; id++) {
                int n = copies[id];
                if (n > 0) {
                    delivered += n;
                    distinct++;
                    duplicates += n - 1;
                    if (!tracked.accepted.get(id) && !tracked.unanswered.get(id)) {
                        phantom[0] += n; // refused (503, 4xx), yet stored
                    }
                } else if (tracked.accepted.get(id)) {
                    lost++;
                    if (lostIds.size() < 10) {
                        lostIds.add((long) id);
                    }
                }
            }
            return new Count(tracked.accepted.cardinality(), tracked.unanswered.cardinality(), delivered, distinct,
                    duplicates, lost, phantom[0], lostIds);
        }
    }

    private interface ValueConsumer {
        void accept(double value, double count);
    }

    private static void forEachValue(RecordedDatum datum, ValueConsumer consumer) {
        if (datum.value() != null) {
            consumer.accept(datum.value(), 1);
        } else if (datum.values() != null) {
            for (int i = 0; i < datum.values().size(); i++) {
                consumer.accept(datum.values().get(i), datum.counts() == null ? 1 : datum.counts().get(i));
            }
        } else if (datum.statistics() != null) {
            consumer.accept(-1, datum.statistics().sampleCount()); // never sent by these phases
        }
    }

    private void checkTracked(String phase, Tracked tracked, Count count, Target gateway, double allowed)
            throws IOException {
        if (count.lost() > 0) {
            fail(phase + ": " + count.lost() + " points answered 202 never reached CloudWatch (seed " + seed
                    + "); their ids (the values sent) begin " + count.lostIds());
        }
        if (count.phantom() > 0) {
            fail(phase + ": CloudWatch got " + count.phantom() + " points no client was answered 202 for (nor left "
                    + "without an answer), or that were never sent");
        }
        if (count.duplicates() > allowed + 1e-6) {
            fail(phase + ": CloudWatch stored " + count.duplicates() + " extra copies, more than the "
                    + fmt(allowed) + " the gateway's counts allow");
        }
        if (gateway.dropped() > 0) {
            fail(phase + ": the gateway dropped " + fmt(gateway.dropped()) + " points (nothing here is poison)");
        }
        List<Path> left = segments(gateway.spool);
        if (!left.isEmpty()) {
            fail(phase + ": " + left.size() + " segments left in the spool " + gateway.spool);
        }
        if (tracked.requests.sum() == 0) {
            fail(phase + ": no request was sent");
        }
    }

    private static String trackedSummary(Tracked tracked, Count count, Target gateway) {
        return String.format("requests %d (by status: %s; -1 = no answer); points answered 202: %d, without an "
                        + "answer: %d; stored by the stand-in: %d (distinct %d, extra copies %d); lost: %d; phantom: %d; "
                        + "gateway processes: %d started, %d stopped by SIGTERM; WARNING/SEVERE lines: %d",
                tracked.requests.sum(), summary(tracked.statuses), count.accepted(), count.unanswered(), count.delivered(),
                count.distinct(), count.duplicates(), count.lost(), count.phantom(), gateway.starts,
                gateway.totals.size(), gateway.warnings);
    }

    // ----------------------------------------------------------------------------------------------------------
    // gateways

    /** One phase's gateway: its settings and spool, the process now running (restarted as the phase needs). */
    private final class Target {
        final String phase;
        final Map<String, String> env;
        final Path spool;
        /** The port clients use; 0 while no gateway is up. */
        final AtomicInteger port = new AtomicInteger();
        /** The totals of each stop line (SIGTERM). */
        final List<double[]> totals = new CopyOnWriteArrayList<>();
        volatile GatewayProcess process;
        volatile Scrape lastScrape;
        /** The most points a scrape saw held (buffered and in flight). */
        volatile double maxHeld;
        /** The most bytes a scrape saw the buffer hold, by the gateway's own estimate. */
        volatile double maxBufferBytes;
        int starts;
        int warnings;
        /** possibly_duplicated of killed gateways, from their last scrape; dropped likewise. */
        double killedPossiblyDuplicated;
        double killedDropped;
        final LongAdder scrapes = new LongAdder();
        final LongAdder missedScrapes = new LongAdder();
        final LongAdder imbalances = new LongAdder();

        Target(String phase, URI cloudWatch, Map<String, String> settings) throws IOException {
            this.phase = phase;
            this.spool = Files.createTempDirectory("soak-" + phase + "-spool");
            Map<String, String> all = new HashMap<>(settings);
            all.put("SPOOL_DIR", spool.toString());
            this.env = GatewayProcess.environment(cloudWatch, all);
            targets.add(this);
        }

        GatewayProcess start() throws Exception {
            GatewayProcess started = GatewayProcess.start(env);
            process = started;
            lastScrape = null;
            starts++;
            try {
                port.set(started.awaitListening(Duration.ofSeconds(30)));
            } catch (AssertionError e) {
                started.close();
                throw new IllegalStateException(phase + ": the gateway did not start; its log:\n" + tail(started, 30));
            }
            return started;
        }

        /** SIGTERM, wait for the exit, and read the totals from the stop line. */
        double[] stop() throws Exception {
            GatewayProcess gateway = process;
            port.set(0);
            gateway.signal("TERM");
            int exit = gateway.awaitExit(Duration.ofSeconds(60));
            Matcher matcher = gateway.stderrLines().await(STOPPED, Duration.ofSeconds(5));
            countWarnings(gateway);
            gateway.close();
            if (exit != 143 || matcher == null) {
                throw new IllegalStateException("the gateway did not stop cleanly (exit " + exit + "); its last log "
                        + "lines:\n" + tail(gateway, 30));
            }
            log(phase + ": " + matcher.group());
            double[] figures = new double[9];
            for (int i = 0; i < figures.length; i++) {
                figures[i] = Double.parseDouble(matcher.group(i + 1));
            }
            totals.add(figures);
            return figures;
        }

        /** kill -9; returns the exit code (137). */
        int kill() throws Exception {
            GatewayProcess gateway = process;
            port.set(0);
            Scrape last = lastScrape;
            gateway.signal("KILL");
            int exit = gateway.awaitExit(Duration.ofSeconds(10));
            killedDropped += last == null ? 0 : last.dropped();
            countWarnings(gateway);
            gateway.close();
            return exit;
        }

        /** Counts the WARNING and SEVERE lines of a gateway that ended, and keeps its log in target/soak-logs. */
        private void countWarnings(GatewayProcess gateway) {
            try {
                Path logs = Files.createDirectories(Path.of("target", "soak-logs"));
                Files.write(logs.resolve(phase + "-" + starts + ".log"), gateway.stderrLines().lines());
            } catch (IOException e) {
                log(phase + ": cannot keep the gateway's log: " + e);
            }
            for (String line : gateway.stderrLines().lines()) {
                if (line.contains("WARNING") || line.contains("SEVERE")) {
                    warnings++;
                }
            }
        }

        double total(int figure) {
            return totals.stream().mapToDouble(t -> t[figure]).sum();
        }

        double dropped() {
            return total(DROPPED) + killedDropped;
        }
    }

    /**
     * Heals CloudWatch, stops the gateway by SIGTERM, and starts and stops it again while its spool holds
     * segments (what a stop could not deliver in time), so that everything is delivered.
     */
    private void finish(Target gateway, CloudWatchStandIn cloudWatch, Function<RecordedCall, StandInResponse> healthy)
            throws Exception {
        cloudWatch.setDefaultResponder(healthy);
        awaitDrained(gateway, Duration.ofSeconds(30));
        try {
            gateway.stop();
        } catch (Exception | AssertionError e) {
            fail(gateway.phase + ": " + e.getMessage());
        }
        for (int restart = 0; restart < 5 && !segments(gateway.spool).isEmpty(); restart++) {
            List<Path> segments = segments(gateway.spool);
            log(gateway.phase + ": the spool holds " + segments.size() + " segments: starting a gateway to deliver them");
            GatewayProcess started = gateway.start();
            for (Path segment : segments) {
                started.stderrLines().await(Pattern.compile("replayed \\S+ points from " + Pattern.quote(segment.toString())),
                        Duration.ofSeconds(30));
            }
            awaitDrained(gateway, Duration.ofSeconds(30));
            try {
                gateway.stop();
            } catch (Exception | AssertionError e) {
                fail(gateway.phase + ": " + e.getMessage());
            }
        }
    }

    /** Waits until the gateway holds no points (a scrape says so), or the timeout passes. */
    private void awaitDrained(Target gateway, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Scrape scrape = check(gateway);
            if (scrape != null && scrape.held() == 0) {
                return;
            }
            Thread.sleep(500);
        }
        log(gateway.phase + ": the gateway still holds points after " + timeout.toSeconds() + " s; the stop delivers them");
    }

    /** Segment files of a spool, oldest (lowest sequence) first. */
    private static List<Path> segments(Path spool) throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(file -> file.getFileName().toString().matches("segment-\\d{16}-[0-9a-f]{8}\\.wal"))
                    .sorted().toList();
        }
    }

    // ----------------------------------------------------------------------------------------------------------
    // the ledger

    /** One scrape of GET /metrics: the ledger's families summed over labels, and memory. */
    private record Scrape(double in, double out, double dropped, double held, double possiblyDuplicated,
                          double heapUsed, double heapMax, double resident, double bufferBytes,
                          double bufferCapacity, String ledger) {
        double imbalance() {
            return in - (out + dropped + held);
        }
    }

    /** Scrapes a gateway and checks in = out + dropped + held; null when no gateway answered. */
    private Scrape check(Target gateway) {
        int port = gateway.port.get();
        if (port == 0) {
            return null;
        }
        Scrape scrape;
        try {
            scrape = scrape(port);
        } catch (IOException e) {
            gateway.missedScrapes.increment(); // stopping, killed, or starting
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        gateway.scrapes.increment();
        gateway.lastScrape = scrape;
        gateway.maxHeld = Math.max(gateway.maxHeld, scrape.held());
        gateway.maxBufferBytes = Math.max(gateway.maxBufferBytes, scrape.bufferBytes());
        if (scrape.imbalance() != 0) {
            gateway.imbalances.increment();
            fail(gateway.phase + ": ledger imbalance: in " + fmt(scrape.in()) + " != out " + fmt(scrape.out())
                    + " + dropped " + fmt(scrape.dropped()) + " + held " + fmt(scrape.held()) + " (off by "
                    + fmt(scrape.imbalance()) + "); the scrape:\n" + scrape.ledger());
        }
        return scrape;
    }

    private Scrape scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(port, "/metrics", Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /metrics answered " + response.statusCode());
        }
        double in = 0;
        double out = 0;
        double dropped = 0;
        double held = 0;
        double possiblyDuplicated = 0;
        double heapUsed = -1;
        double heapMax = -1;
        double resident = -1;
        double bufferBytes = 0;
        double bufferCapacity = -1;
        int families = 0;
        StringBuilder ledger = new StringBuilder();
        for (String line : response.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            double value = Double.parseDouble(sample.group(3));
            switch (sample.group(1)) {
                case "gateway_points_in_total" -> in += value;
                case "gateway_points_out_total" -> out += value;
                case "gateway_points_dropped_total" -> dropped += value;
                case "gateway_points_held" -> held += value;
                case "gateway_points_possibly_duplicated_total" -> possiblyDuplicated = value;
                case "jvm_memory_used_bytes" -> heapUsed = value;
                case "jvm_memory_max_bytes" -> heapMax = value;
                case "process_resident_memory_bytes" -> resident = value;
                case "gateway_buffer_bytes" -> bufferBytes = value;
                case "gateway_buffer_capacity_bytes" -> bufferCapacity = value;
                default -> { }
            }
            if (sample.group(1).startsWith("gateway_points_")) {
                families++;
                ledger.append(line).append('\n');
            }
        }
        if (families == 0) {
            throw new IOException("no gateway_points_ families in GET /metrics");
        }
        return new Scrape(in, out, dropped, held, possiblyDuplicated, heapUsed, heapMax, resident, bufferBytes,
                bufferCapacity, ledger.toString());
    }

    // ----------------------------------------------------------------------------------------------------------
    // the report

    /** One phase's points: accepted (202), without an answer, delivered (every copy), and the rest. */
    private record PhaseResult(String phase, double accepted, double unanswered, double delivered, double dropped,
                               double duplicates, double allowed, double loss) {}

    private boolean report() {
        List<PhaseResult> phases = new ArrayList<>(); // of this run
        for (String phase : this.phases) {
            PhaseResult result = results.get(phase);
            if (result == null) {
                fail(phase + ": the phase did not finish, so nothing of it is accounted for");
            } else {
                phases.add(result);
            }
        }
        PhaseResult overall = new PhaseResult("**overall**", sum(phases, PhaseResult::accepted),
                sum(phases, PhaseResult::unanswered), sum(phases, PhaseResult::delivered), sum(phases, PhaseResult::dropped),
                sum(phases, PhaseResult::duplicates), sum(phases, PhaseResult::allowed), sum(phases, PhaseResult::loss));
        System.out.println();
        System.out.printf("Seed %d, %d s of mixed load (SOAK_SECONDS), %.0f s in all.%n%n", seed, seconds,
                (System.nanoTime() - startNanos) / 1e9);
        System.out.println("| phase | points accepted (202) | points without an answer (may have been taken) | "
                + "delivered (points the stand-in stored) | dropped (the ledger) | duplicates (extra copies) | "
                + "duplicates allowed | **unexplained loss** |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (PhaseResult phase : phases) {
            printPhase(phase);
        }
        printPhase(overall);
        System.out.println();
        System.out.println("The mixed row counts samples (a Values entry counts its Count), as CloudWatch stores them; its "
                + "dropped column is the ledger's points. The other phases send one sample a point. Duplicates allowed: "
                + "mixed, samples of requests without an answer plus " + MAX_SAMPLES_PER_POINT + " a possibly "
                + "duplicated point; brownout, the gateways' possibly_duplicated; kill -9, the points replayed from "
                + "segments sealed at each kill, plus possibly_duplicated; card, possibly_duplicated.");
        section("mixed", "Mixed load (faults, poison, an outage with a SIGTERM restart)");
        section("kill", "kill -9 cycles (seeded moments, restarted on the same SPOOL_DIR)");
        section("brownout", "Brownout (every answer slow, 1 s an attempt)");
        section("card", "High-cardinality outage (CloudWatch down, 1000 new series a request)");
        System.out.println();
        System.out.println("### Ledger (GET /metrics every " + SCRAPE_MILLIS / 1000 + " s: in = out + dropped + held)");
        System.out.println();
        System.out.println("| phase | scrapes checked | missed (gateway stopping, killed or starting) | imbalances |");
        System.out.println("|---|---|---|---|");
        for (Target target : targets) {
            System.out.printf("| %s | %d | %d | %d |%n", target.phase, target.scrapes.sum(), target.missedScrapes.sum(),
                    target.imbalances.sum());
            if (target.scrapes.sum() == 0) {
                fail(target.phase + ": the ledger was never scraped");
            }
        }
        if (overall.loss() > 0) {
            fail("unexplained loss: " + fmt(overall.loss()) + " points");
        }
        System.out.println();
        problems.forEach(problem -> System.out.println("- PROBLEM: " + problem.replace("\n", "\n  ")));
        boolean ok = problems.isEmpty();
        System.out.println(ok ? "soak: PASS" : "soak: FAIL (" + problems.size() + " problems, seed " + seed + ")");
        return ok;
    }

    private static void printPhase(PhaseResult phase) {
        System.out.printf("| %s | %s | %s | %s | %s | %s | %s | **%s** |%n", phase.phase(), fmt(phase.accepted()),
                fmt(phase.unanswered()), fmt(phase.delivered()), fmt(phase.dropped()), fmt(phase.duplicates()),
                fmt(phase.allowed()), fmt(phase.loss()));
    }

    private void section(String phase, String title) {
        List<String> lines = details.get(phase);
        if (lines == null) {
            return;
        }
        System.out.println();
        System.out.println("### " + title);
        System.out.println();
        if (phase.equals("mixed")) {
            System.out.println("| soak | figure |");
            System.out.println("|---|---|");
        }
        lines.forEach(System.out::println);
    }

    private static double sum(List<PhaseResult> phases, java.util.function.ToDoubleFunction<PhaseResult> figure) {
        return phases.stream().mapToDouble(figure).sum();
    }

    private static String row(String name, String value) {
        return "| " + name + " | " + value + " |";
    }

    private static String answerName(RecordedCall call) {
        return call.answer().isOk() ? "ok" : call.answer().isDrop() ? "dropped connection"
                : call.answer().errorCode() + " " + call.answer().status();
    }

    private static String summary(Map<Integer, LongAdder> statuses) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(statuses).forEach((status, count) ->
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

    // ----------------------------------------------------------------------------------------------------------
    // plumbing

    /** POSTs a JSON body; null when no answer came (the gateway stopping, killed, or too slow). */
    private HttpResponse<String> post(int port, String path, String body, Duration timeout) {
        return send(request(port, path, timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> get(int port, String path) {
        return port == 0 ? null : send(request(port, path, Duration.ofSeconds(5)).GET());
    }

    private static HttpRequest.Builder request(int port, String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String tail(GatewayProcess gateway, int lines) {
        List<String> all = gateway.stderrLines().lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static long parseLong(String text, long otherwise) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static String mib(double bytes) {
        return bytes < 0 ? "?" : String.valueOf(Math.round(bytes / (1 << 20)));
    }

    /** Points as people write them: whole numbers without a fraction. */
    private static String fmt(double points) {
        return points == Math.rint(points) && Math.abs(points) < 1e15 ? String.valueOf((long) points) : String.valueOf(points);
    }

    private static void log(String line) {
        System.err.println(java.time.Instant.now() + " soak: " + line);
    }
}
