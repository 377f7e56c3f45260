package com.cwgateway.testsupport;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * A local stand-in for CloudWatch's PutMetricData, in the manner of OkHttp's MockWebServer: a real HTTP/1.1 server
 * on 127.0.0.1, port 0, that records every request and answers from a FIFO script, then from a default responder.
 *
 * <p>It is a raw {@link ServerSocket} rather than the JDK's HttpServer so that the faults are real: a dropped
 * connection closes the socket with no response at all, and a delayed answer holds only its own connection.
 * One thread per connection; HTTP keep-alive is honoured, as the SDK's URLConnection client reuses connections.
 *
 * <p>The SDK 2.57 speaks Smithy RPC v2 CBOR: {@code POST /service/GraniteServiceVersion20100801/operation/PutMetricData},
 * {@code Content-Type: application/cbor}, {@code smithy-protocol: rpc-v2-cbor}, body gzipped from 10240 bytes on.
 *
 * <p>Like CloudWatch, it refuses a call over the request limits (more than 1000 datums, a body over 1,000,000
 * bytes, more than 150 values or 30 dimensions in a datum) with 400 {@code InvalidParameterValue}, before the
 * script is consulted: whatever a test scripts, a gateway that sends such a call sees it fail.
 *
 * <p>Two modes. {@link #start()} records: every call is kept as a {@link RecordedCall} (or handed to
 * {@link #streamCalls}) and answered from the script. {@link #startCounting()} counts, for {@code make bench} and
 * {@code bench/ab.sh}: it keeps no call, answers every call it does not refuse with success, and only adds up
 * calls, datums and points (see {@link CallTally}) in one streaming pass over each body, so that a bench load of
 * millions of datums costs little next to the gateway it measures. Both modes refuse by the same pass
 * ({@link CallTally#overLimit}): a call is refused alike whichever mode gets it. A counting stand-in also answers
 * {@code GET /counts} (the {@link Counts} as one JSON object) and {@code POST /reset} (every count back to zero);
 * {@link #main} runs one as a process.
 */
public final class CloudWatchStandIn implements AutoCloseable {

    /** PutMetricData has no output members: an empty CBOR map (0xA0). The SDK accepts an empty body as well. */
    private static final byte[] EMPTY_CBOR_MAP = {(byte) 0xA0};
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final CBORMapper CBOR = new CBORMapper();

    private final ServerSocket serverSocket;
    /** True for a stand-in of {@link #startCounting()}: it keeps no call, only {@link #counts}. */
    private final boolean counting;
    private final ExecutorService threads;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    /** Counted down by close(): ends every pending delay at once (and replaces sleeps). */
    private final CountDownLatch closing = new CountDownLatch(1);

    /** Guards the script and the record together, so the n-th recorded call got the n-th scripted answer. */
    private final Object lock = new Object();
    private final List<StandInResponse> script = new ArrayList<>();
    private final List<RecordedCall> calls = new ArrayList<>();
    /** Calls whose success was written to a client still connected: what the client can know was stored. */
    private final List<RecordedCall> delivered = new ArrayList<>();
    /** Null while calls are kept; else where each call goes instead ({@link #streamCalls}). */
    private Consumer<RecordedCall> stream;
    private final BlockingQueue<RecordedCall> untaken = new LinkedBlockingQueue<>();
    private volatile Function<RecordedCall, StandInResponse> defaultResponder = call -> StandInResponse.ok();

    /** A counting stand-in's counts since start or the last reset, guarded by {@link #countLock}. */
    private final Object countLock = new Object();
    private long countedCalls;
    private long countedDatums;
    private double countedPoints;
    private long countedWireBytes;
    private long countedErrors;
    private long firstCallMs;
    private long lastCallMs;
    private long busyNanos;

    private CloudWatchStandIn(ServerSocket serverSocket, boolean counting) {
        this.serverSocket = serverSocket;
        this.counting = counting;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cloudwatch-stand-in-" + n.incrementAndGet());
            t.setDaemon(true); // a stand-in a test forgot to close must not keep the JVM alive
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    /** Starts a recording stand-in listening on 127.0.0.1 with a free port. */
    public static CloudWatchStandIn start() {
        return start(0, false);
    }

    /** Starts a counting stand-in (see the class comment) listening on 127.0.0.1 with a free port. */
    public static CloudWatchStandIn startCounting() {
        return start(0, true);
    }

    private static CloudWatchStandIn start(int port, boolean counting) {
        try {
            return new CloudWatchStandIn(new ServerSocket(port, 128, InetAddress.getLoopbackAddress()), counting);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a local port for the CloudWatch stand-in", e);
        }
    }

    /**
     * Runs a counting stand-in until the process is stopped, for {@code make bench} and {@code bench/ab.sh}:
     * {@code java -cp target/test-classes:<test classpath> com.cwgateway.testsupport.CloudWatchStandIn [port]}
     * (port 0, the default, picks a free one). It prints {@code CloudWatchStandIn listening on 127.0.0.1:PORT}
     * once it listens, after {@link #warmUp()}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        warmUp();
        CloudWatchStandIn standIn = start(port, true);
        System.out.println("CloudWatchStandIn listening on 127.0.0.1:" + standIn.serverSocket.getLocalPort());
        System.out.flush();
        standIn.closing.await(); // its threads are daemons: stay until the process is stopped
    }

    /**
     * Counts sample requests for about 1.5 s before listening, so that the JIT has compiled the counting loops
     * before the gateway's first flush: cold, one aggregated request (333 datums of 150 Values and Counts, 0.9 MB
     * of CBOR) takes ~80 ms to count instead of ~3 ms, which would put the stand-in's time into the flush figures.
     */
    private static void warmUp() throws IOException {
        byte[] aggregated = gzip(sample(333, 150));
        byte[] single = gzip(sample(1000, 0));
        long end = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < end) {
            CallTally.of(new GZIPInputStream(new ByteArrayInputStream(aggregated)));
            CallTally.of(new GZIPInputStream(new ByteArrayInputStream(single)));
        }
    }

    /** A PutMetricData request as the SDK writes it: datums of {@code values} Values and Counts, or of one Value. */
    private static byte[] sample(int datums, int values) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = CBOR.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("Namespace", "Warm/Up");
            g.writeArrayFieldStart("MetricData");
            for (int d = 0; d < datums; d++) {
                g.writeStartObject();
                g.writeStringField("MetricName", "Latency");
                g.writeArrayFieldStart("Dimensions");
                g.writeStartObject();
                g.writeStringField("Name", "Series");
                g.writeStringField("Value", "series-" + d % 10);
                g.writeEndObject();
                g.writeEndArray();
                if (values == 0) {
                    g.writeNumberField("Value", d % 2 == 0 ? d : d + 0.5);
                } else {
                    g.writeArrayFieldStart("Values");
                    for (int v = 0; v < values; v++) {
                        g.writeNumber(v % 2 == 0 ? (double) d * values + v : d * values + v + 0.25);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("Counts");
                    for (int v = 0; v < values; v++) {
                        g.writeNumber(1 + v % 3);
                    }
                    g.writeEndArray();
                }
                g.writeStringField("Unit", "Milliseconds");
                g.writeNumberField("Timestamp", 1.7e9 + d);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    /**
     * What a counting stand-in counted since start or the last reset. Calls, datums, points and wire bytes (the
     * body as received, gzipped or not) are of the calls answered with success; {@code errors} counts the calls
     * refused (undecodable, not PutMetricData, or over CloudWatch's limits); first and last call in epoch
     * milliseconds (0 before any); {@code busyMs}, the time spent reading and counting the bodies.
     */
    public record Counts(long calls, long datums, double points, long wireBytes, long errors, long firstCallMs,
                         long lastCallMs, long busyMs) {

        /** The body of {@code GET /counts}; whole numbers without a fraction, so that a shell can compare them. */
        public String toJson() {
            return "{\"calls\":" + calls + ",\"datums\":" + datums + ",\"points\":" + number(points)
                    + ",\"wireBytes\":" + wireBytes + ",\"errors\":" + errors + ",\"firstCallMs\":" + firstCallMs
                    + ",\"lastCallMs\":" + lastCallMs + ",\"busyMs\":" + busyMs + "}";
        }

        private static String number(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                    : Double.toString(value);
        }
    }

    /** A counting stand-in's counts since start or the last {@link #resetCounts()}. */
    public Counts counts() {
        requireMode(true, "counts");
        synchronized (countLock) {
            return new Counts(countedCalls, countedDatums, countedPoints, countedWireBytes, countedErrors,
                    firstCallMs, lastCallMs, busyNanos / 1_000_000);
        }
    }

    /** Sets every count of a counting stand-in back to zero, as {@code POST /reset} does. */
    public void resetCounts() {
        requireMode(true, "resetCounts");
        synchronized (countLock) {
            countedCalls = countedDatums = countedWireBytes = countedErrors = firstCallMs = lastCallMs = busyNanos = 0;
            countedPoints = 0;
        }
    }

    /** A method of the other mode would quietly see nothing (no calls, no counts): fail the test instead. */
    private void requireMode(boolean countingMode, String method) {
        if (counting != countingMode) {
            throw new IllegalStateException(method + "() is for a " + (countingMode ? "counting" : "recording")
                    + " stand-in; this one " + (counting ? "counts" : "records"));
        }
    }

    /** The base URI to give the SDK as endpoint override, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + serverSocket.getLocalPort());
    }

    /**
     * A real SDK client for this stand-in: URLConnection HTTP client, static dummy credentials, us-east-1,
     * 5 s per call, and the standard retry mode set explicitly (3 attempts): left unset, the SDK's default is
     * the legacy mode with 4 attempts, and AWS_RETRY_MODE or a profile could change it under the test.
     */
    public CloudWatchClient newClient() {
        return newClient(overrides -> { });
    }

    /** As {@link #newClient()}, then {@code overrides} adjusts the override configuration (timeouts, retries). */
    public CloudWatchClient newClient(Consumer<ClientOverrideConfiguration.Builder> overrides) {
        return CloudWatchClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("stand-in-key", "stand-in-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> {
                    o.apiCallTimeout(Duration.ofSeconds(5)).retryStrategy(RetryMode.STANDARD);
                    overrides.accept(o);
                })
                .build();
    }

    /** The next recorded call not yet taken, in arrival order; waits up to {@code timeout}; null if none came. */
    public RecordedCall takeCall(Duration timeout) {
        requireMode(false, "takeCall");
        try {
            return untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** All calls so far, whatever their answer, in arrival order. */
    public List<RecordedCall> calls() {
        requireMode(false, "calls");
        synchronized (lock) {
            return List.copyOf(calls);
        }
    }

    /** The calls answered with success. */
    public List<RecordedCall> acceptedCalls() {
        return calls().stream().filter(RecordedCall::accepted).toList();
    }

    /** All datums of accepted calls, in order: what CloudWatch would have stored. */
    public List<RecordedDatum> acceptedDatums() {
        return acceptedCalls().stream().flatMap(c -> c.datums().stream()).toList();
    }

    /**
     * The calls whose success answer was written to a client that was still connected when it was written: a
     * delayed answer to a client that gave up (its timeout fired) or died (kill -9) is not among them. Stricter
     * than {@link #acceptedCalls()}, which counts what CloudWatch would have stored even when nobody heard the
     * answer: a gateway that counted on that could lose points and {@code acceptedCalls} would not show it.
     */
    public List<RecordedCall> deliveredCalls() {
        requireMode(false, "deliveredCalls");
        synchronized (lock) {
            return List.copyOf(delivered);
        }
    }

    /** The datums of {@link #deliveredCalls()} from the {@code from}-th delivered call on. */
    public List<RecordedDatum> deliveredDatums(int from) {
        List<RecordedCall> all = deliveredCalls();
        return all.subList(Math.min(from, all.size()), all.size()).stream().flatMap(c -> c.datums().stream()).toList();
    }

    /** How many TCP connections clients have opened so far (the SDK keeps connections alive between calls). */
    public int connectionCount() {
        return connections.get();
    }

    /**
     * From now on hands each call, with its answer, to {@code consumer} (under the stand-in's lock, in arrival
     * order: keep it quick) and keeps none: for runs that send more than the heap can record. The lists this
     * stand-in returns stop growing.
     */
    public void streamCalls(Consumer<RecordedCall> consumer) {
        requireMode(false, "streamCalls");
        synchronized (lock) {
            stream = Objects.requireNonNull(consumer, "consumer");
        }
    }

    /** Scripts the answers of the next calls, first in first out. */
    public void enqueue(StandInResponse... responses) {
        requireMode(false, "enqueue");
        synchronized (lock) {
            Collections.addAll(script, responses);
        }
    }

    /**
     * Answers calls when the script is empty; the default answers {@link StandInResponse#ok()}. It runs under the
     * stand-in's lock (so answers keep arrival order): keep it quick. If it throws, the call gets a 500.
     */
    public void setDefaultResponder(Function<RecordedCall, StandInResponse> responder) {
        requireMode(false, "setDefaultResponder");
        this.defaultResponder = Objects.requireNonNull(responder, "responder");
    }

    /** Stops listening, ends pending delays and closes every connection. Idempotent; returns promptly. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        closeQuietly(serverSocket);
        openSockets.forEach(CloudWatchStandIn::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS); // bounded: close() must never hang a test run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            try {
                Socket socket = serverSocket.accept();
                connections.incrementAndGet();
                openSockets.add(socket);
                threads.execute(() -> serve(socket));
            } catch (IOException | RejectedExecutionException e) {
                return; // closed
            }
        }
    }

    /** Serves the requests of one connection until the client closes it or an answer drops it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (!closed.get()) {
                HttpRequest request = HttpRequest.read(in, out);
                if (request == null) {
                    return; // the client closed the connection between requests
                }
                if (counting) {
                    out.write(count(request));
                    out.flush();
                    if ("close".equalsIgnoreCase(request.headers.get("connection"))) {
                        return;
                    }
                    continue;
                }
                RecordedCall call = record(request);
                StandInResponse answer = call.answer();
                // Wait out any delays; close() ends them, and then the connection just goes away.
                boolean waited = false;
                while (answer.kind() == StandInResponse.Kind.DELAY) {
                    if (closing.await(answer.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    answer = answer.then();
                    waited = true;
                }
                if (answer.kind() == StandInResponse.Kind.DROP || (waited && peerClosed(socket, in))) {
                    return; // try-with-resources closes the socket: no status line, no bytes
                }
                byte[] response = render(answer);
                if (answer.kind() == StandInResponse.Kind.SLOW_BODY) {
                    // Everything but the body now: the client hears 200 and waits for the rest.
                    out.write(response, 0, response.length - EMPTY_CBOR_MAP.length);
                    out.flush();
                    keepDelivered(call);
                    if (closing.await(answer.delay().toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                    out.write(EMPTY_CBOR_MAP);
                    out.flush();
                } else {
                    out.write(response);
                    out.flush();
                    if (answer.kind() == StandInResponse.Kind.OK) {
                        keepDelivered(call);
                    }
                }
                if ("close".equalsIgnoreCase(request.headers.get("connection"))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away (e.g. its timeout fired) or close() shut the socket: nothing to answer
        } finally {
            openSockets.remove(socket);
        }
    }

    private void keepDelivered(RecordedCall call) {
        synchronized (lock) {
            if (stream == null) {
                delivered.add(call);
            }
        }
    }

    /**
     * True when the client closed the connection (or reset it) while its answer was delayed. The client sends
     * nothing while it waits for an answer, so a read that times out at once means it is still there.
     */
    private static boolean peerClosed(Socket socket, InputStream in) {
        try {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(1);
            in.mark(1);
            try {
                return in.read() < 0;
            } catch (SocketTimeoutException stillThere) {
                return false;
            } finally {
                in.reset();
                socket.setSoTimeout(timeout);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /** Decodes the request, picks its answer and records both before anything is written back. */
    private RecordedCall record(HttpRequest request) {
        RecordedCall call = decode(request);
        synchronized (lock) {
            StandInResponse answer = refusal(request, call.decoded(), call.overLimit());
            if (answer != null) {
                // Refused whatever the script says; the script is left for the real calls.
            } else if (!script.isEmpty()) {
                answer = script.remove(0);
            } else {
                answer = respondByDefault(call);
            }
            call = call.withAnswer(answer);
            if (stream != null) {
                stream.accept(call);
                return call;
            }
            calls.add(call);
            untaken.add(call);
            return call;
        }
    }

    /**
     * The answer to a call the stand-in refuses in either mode, or null: a call that is not what the SDK sends
     * for PutMetricData, or one over CloudWatch's limits, which CloudWatch refuses (a gateway must never send one).
     */
    private static StandInResponse refusal(HttpRequest request, boolean decoded, String overLimit) {
        if (!decoded || !"PutMetricData".equals(request.path.substring(request.path.lastIndexOf('/') + 1))) {
            return StandInResponse.badRequest("SerializationException",
                    "stand-in expects a CBOR PutMetricData request, got " + request.path);
        }
        return overLimit == null ? null : StandInResponse.badRequest("InvalidParameterValue", overLimit);
    }

    /**
     * A counting stand-in's answer to one request, as bytes to write: {@code GET /counts}, {@code POST /reset},
     * or a call counted in one streaming pass over its body (gunzipped on the way) and answered with success,
     * unless {@link #refusal} refuses it.
     */
    private byte[] count(HttpRequest request) throws IOException {
        if ("GET".equals(request.method) && "/counts".equals(request.path)) {
            return render(200, "application/json", counts().toJson().getBytes(StandardCharsets.UTF_8), Map.of());
        }
        if ("POST".equals(request.method) && "/reset".equals(request.path)) {
            resetCounts();
            return render(204, "application/json", new byte[0], Map.of());
        }
        CallTally tally = null;
        try (InputStream body = "gzip".equalsIgnoreCase(request.headers.get("content-encoding"))
                ? new GZIPInputStream(new ByteArrayInputStream(request.body), 64 * 1024)
                : new ByteArrayInputStream(request.body)) {
            tally = CallTally.of(body);
        } catch (IOException | RuntimeException e) {
            System.err.println("CloudWatchStandIn: cannot decode a PutMetricData body: " + e);
        }
        StandInResponse refusal = refusal(request, tally != null, tally == null ? null : tally.overLimit());
        synchronized (countLock) {
            if (refusal != null) {
                countedErrors++;
            } else {
                countedCalls++;
                countedDatums += tally.datums();
                countedPoints += tally.points();
                countedWireBytes += request.body.length;
                long nowMs = System.currentTimeMillis();
                if (firstCallMs == 0) {
                    firstCallMs = nowMs - (System.nanoTime() - request.headNanos) / 1_000_000;
                }
                lastCallMs = nowMs;
                busyNanos += System.nanoTime() - request.headNanos;
            }
        }
        return render(refusal == null ? StandInResponse.ok() : refusal);
    }

    /** A responder that throws would leave the client hanging; turn it into a visible 500 instead. */
    private StandInResponse respondByDefault(RecordedCall call) {
        try {
            return Objects.requireNonNull(defaultResponder.apply(call), "default responder returned null");
        } catch (RuntimeException e) {
            return StandInResponse.error(500, "StandInResponderFailed", e.toString());
        }
    }

    private static RecordedCall decode(HttpRequest request) {
        boolean gzipped = "gzip".equalsIgnoreCase(request.headers.get("content-encoding"));
        String operation = request.path.substring(request.path.lastIndexOf('/') + 1);
        byte[] cbor = request.body;
        JsonNode body = null;
        try {
            if (gzipped) {
                try (InputStream gunzip = new GZIPInputStream(new ByteArrayInputStream(request.body))) {
                    cbor = gunzip.readAllBytes();
                }
            }
            body = CBOR.readTree(cbor);
        } catch (IOException e) {
            body = null; // recorded as undecodable; record() answers it with an error
        }
        CallTally tally = null;
        if (body != null) {
            try {
                tally = CallTally.of(new ByteArrayInputStream(cbor));
            } catch (IOException e) {
                body = null; // CBOR, but not a map: not a PutMetricData body either
            }
        }
        String namespace = body != null && body.has("Namespace") ? body.get("Namespace").asText() : null;
        List<RecordedDatum> datums = new ArrayList<>();
        if (body != null) {
            body.path("MetricData").forEach(d -> datums.add(RecordedDatum.fromCbor(d)));
        }
        return new RecordedCall(namespace, List.copyOf(datums), cbor.length, request.body.length, gzipped,
                Collections.unmodifiableMap(request.headers), body != null, null, operation,
                tally == null ? null : tally.overLimit());
    }

    /**
     * The bytes of an answer, as CloudWatch's RPC v2 CBOR endpoint writes them. What the SDK reads from an error:
     * the status, the exception class from {@code __type}, {@code errorCode()} from {@code x-amzn-query-error}
     * (before the ';'), the message from {@code message}, the request id from {@code x-amzn-requestid}.
     */
    private static byte[] render(StandInResponse answer) throws IOException {
        byte[] body = EMPTY_CBOR_MAP;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("smithy-protocol", "rpc-v2-cbor");
        headers.put("x-amzn-requestid", UUID.randomUUID().toString());
        if (answer.kind() == StandInResponse.Kind.ERROR) {
            headers.put("x-amzn-query-error", answer.queryErrorHeader());
            Map<String, String> error = new LinkedHashMap<>();
            error.put("__type", answer.errorType());
            if (answer.message() != null) {
                error.put("message", answer.message());
            }
            body = CBOR.writeValueAsBytes(error);
        }
        return render(answer.status(), "application/cbor", body, headers);
    }

    /** The bytes of an HTTP/1.1 answer: status line, Content-Type, {@code extraHeaders}, Content-Length, body. */
    private static byte[] render(int status, String contentType, byte[] body, Map<String, String> extraHeaders)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.putAll(extraHeaders);
        headers.put("Content-Length", Integer.toString(body.length));
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        bytes.write(body);
        return bytes.toByteArray();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** The part of HTTP/1.1 the SDK's URLConnection client uses: one request with a Content-Length or chunked body. */
    private record HttpRequest(String method, String path, Map<String, String> headers, byte[] body, long headNanos) {

        /** Reads one request; null on a clean end of stream before it starts. */
        static HttpRequest read(InputStream in, OutputStream out) throws IOException {
            String requestLine = line(in, true);
            if (requestLine == null) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length < 3) {
                throw new IOException("bad request line: " + requestLine);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            int headBytes = requestLine.length();
            for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
                headBytes += line.length();
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim(), (a, b) -> a + "," + b);
                }
            }
            long headNanos = System.nanoTime(); // a counting stand-in's busy time starts with the body
            if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunked(in);
            } else {
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                body = in.readNBytes(length);
                if (body.length < length) {
                    throw new IOException("body ended after " + body.length + " of " + length + " bytes");
                }
            }
            return new HttpRequest(parts[0], parts[1], headers, body, headNanos);
        }

        private static byte[] chunked(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(in, false);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!line(in, false).isEmpty()) {
                        // skip trailers
                    }
                    return body.toByteArray();
                }
                byte[] chunk = in.readNBytes(size);
                if (chunk.length < size) {
                    throw new IOException("chunk ended early");
                }
                body.write(chunk);
                line(in, false); // the CRLF after the chunk
            }
        }

        /** One CRLF-terminated line; null at end of stream only if {@code eofOk} and nothing was read. */
        private static String line(InputStream in, boolean eofOk) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    if (eofOk && line.size() == 0) {
                        return null;
                    }
                    throw new IOException("connection closed inside a request");
                }
                if (line.size() > MAX_HEAD_BYTES) {
                    throw new IOException("line over " + MAX_HEAD_BYTES + " bytes");
                }
                line.write(b);
            }
            String s = line.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }
}
