package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.testsupport.GatewayUnderTest;
import com.cwgateway.testsupport.RecordedCall;
import com.cwgateway.testsupport.RecordedDatum;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Hostile request bodies through the real server, from a fixed seed: random bytes, deep nesting, 10 MB strings,
 * huge and tiny numbers, NaN/Infinity, duplicate keys, invalid UTF-8, lone surrogates, a wrong type at every
 * field, mutations of valid bodies, gzip (corrupt, bombs), very wide bodies; on both ingest endpoints.
 *
 * <p>Every case is labelled when it is generated: {@code INVALID} (must be refused), {@code VALID} (must be
 * accepted) or {@code MAYBE} (a mutation that may happen to stay valid). What the answer must be is decided
 * by an independent reference reading of the README's rules ({@link Reference}), and the label is checked
 * against it, so a generator mistake shows up as such. Every answer must be the expected 4xx with a JSON body
 * whose {@code error} is a string (or 202 with the right count), never a 5xx, a hang, an exception name or a
 * stack frame. Afterwards the server must be healthy, must still publish (a marker datum reaches the
 * CloudWatch stand-in), and must have published exactly the datums of the bodies it accepted, by MetricName.
 *
 * <p>Seed: {@code -Dfuzz.seed=N} (printed at the start and in every failure). {@code -Dfuzz.only=3,17} runs only
 * those case numbers (the same cases: all are generated, then filtered); {@code -Dfuzz.list=true} prints every case.
 * The bytes of each failing case are written to {@code target/hostile-input-fuzz/case-N.bin} for curl.
 */
class HostileInputFuzzTest {

    private static final long DEFAULT_SEED = 0x20261125L;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final int TEN_MB = 10_000_000;
    /** Any request: the answer must come within this (a hang otherwise). */
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Wide bodies (a few MB of many small items): a linear reader answers them in well under a second. */
    private static final Duration WIDE_TIMEOUT = Duration.ofSeconds(5);
    private static final Path REPRODUCERS = Path.of("target", "hostile-input-fuzz");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STACK_FRAME =
            Pattern.compile("\\bat [\\w$]+(\\.[\\w$<>]+)+\\([\\w$]+\\.java:\\d+\\)|\\tat |\\.java:\\d+\\)");
    /** Not failures by themselves, but details a client need not see. */
    private static final Pattern INTERNAL_DETAIL =
            Pattern.compile("com\\.fasterxml|StreamReadConstraints|com\\.cwgateway|java\\.(lang|io|util)\\.");

    enum Label { INVALID, VALID, MAYBE }

    enum Gz { NONE, OK, CORRUPT, TRAILING_GARBAGE }

    /**
     * What is sent, and what the server should see once it has undone the encoding: {@code content} (null when
     * it is not decodable or not worth holding, as for a gzip bomb) of {@code contentLength} bytes.
     */
    record Body(byte[] wire, String encoding, boolean chunked, Gz gz, byte[] content, long contentLength) {

        static Body plain(byte[] bytes) {
            return new Body(bytes, null, false, Gz.NONE, bytes, bytes.length);
        }

        static Body plain(String text) {
            return plain(utf8(text));
        }

        static Body chunked(byte[] bytes) {
            return new Body(bytes, null, true, Gz.NONE, bytes, bytes.length);
        }

        static Body gzip(byte[] content) {
            return new Body(Gzip.of(content), "gzip", false, Gz.OK, content, content.length);
        }

        static Body gzipWire(byte[] wire, String encoding, Gz gz, byte[] content) {
            return new Body(wire, encoding, false, gz, content, content == null ? -1 : content.length);
        }

        static Body bomb(byte[] wire, long expandsTo) {
            return new Body(wire, "gzip", false, Gz.OK, null, expandsTo);
        }
    }

    record Case(int id, String category, String name, String path, Label label, Duration timeout,
                Supplier<Body> body) {}

    /** What the answer must be. */
    record Expected(int status, Set<String> errors, Verdict verdict, boolean orInvalidGzip) {}

    /** The reference reading of a body: valid or not (and why), and the MetricNames of its datums. */
    record Verdict(boolean valid, List<String> names, String reason) {}

    /**
     * An answer. {@code connection}: the Connection header, and {@code reusable}: whether the same connection then
     * carried another request (only known for bodies sent over a raw socket, else null).
     */
    record Reply(int status, String contentType, byte[] body, String noAnswer, long micros, String connection,
                 Boolean reusable) {

        static Reply none(String why) {
            return new Reply(-1, null, null, why, 0, null, null);
        }
    }

    @Test
    void hostileBodiesGetJsonErrorsAndTheServerStaysHealthyAndPublishesOnlyWhatItAccepted() throws Exception {
        long seed = Long.decode(System.getProperty("fuzz.seed", Long.toString(DEFAULT_SEED)).trim());
        Set<Integer> only = new HashSet<>();
        for (String id : System.getProperty("fuzz.only", "").split(",")) {
            if (!id.isBlank()) {
                only.add(Integer.parseInt(id.trim()));
            }
        }
        System.out.println("HostileInputFuzzTest: seed " + seed + " (rerun with -Dfuzz.seed=" + seed + ")");
        if (Files.isDirectory(REPRODUCERS)) {
            try (var old = Files.list(REPRODUCERS)) {
                for (Path file : old.filter(f -> f.getFileName().toString().startsWith("case-")).toList()) {
                    Files.delete(file);
                }
            }
        }
        long started = System.nanoTime();
        long nowMillis = System.currentTimeMillis();
        List<Case> cases = new Generator(seed, nowMillis).all();
        if (Boolean.getBoolean("fuzz.list")) {
            cases.forEach(c -> System.out.println("#" + c.id() + " " + c.category() + "/" + c.name() + " -> POST " + c.path()
                    + " (" + c.label() + ")"));
        }

        List<String> failures = new ArrayList<>();
        List<String> generatorErrors = new ArrayList<>();
        Map<String, String> notes = new TreeMap<>(); // message with digits masked -> an example
        Map<String, int[]> perCategory = new TreeMap<>(); // cases, accepted, refused
        Map<String, Integer> statuses = new TreeMap<>();
        Set<String> expectedNames = new TreeSet<>();
        TreeMap<Long, String> slowest = new TreeMap<>();
        int run = 0;
        int accepted = 0;

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (GatewayUnderTest gateway = GatewayUnderTest.start(Map.of("MAX_BODY_BYTES", Integer.toString(MAX_BODY)))) {
            for (Case c : cases) {
                if (!only.isEmpty() && !only.contains(c.id())) {
                    continue;
                }
                Body body = c.body().get();
                Expected expected = expect(c, body, System.currentTimeMillis());
                String labelProblem = checkLabel(c, expected);
                if (labelProblem != null) {
                    generatorErrors.add(describe(c, body, seed) + ": " + labelProblem);
                }
                Reply reply = send(client, gateway, c, body);
                List<String> problems = check(expected, reply);
                run++;
                slowest.put(reply.noAnswer() != null ? Long.MAX_VALUE - c.id() : reply.micros() * 10_000 + c.id() % 10_000,
                        "#" + c.id() + " " + c.name() + ": " + (reply.noAnswer() != null ? "no answer"
                                : reply.micros() / 1000 + " ms"));
                if (slowest.size() > 5) {
                    slowest.pollFirstEntry();
                }
                int[] counts = perCategory.computeIfAbsent(c.category(), k -> new int[3]);
                counts[0]++;
                counts[reply.status() == 202 ? 1 : 2]++;
                statuses.merge(reply.noAnswer() != null ? "no answer" : Integer.toString(reply.status()), 1,
                        Integer::sum);
                if (reply.status() == 202) {
                    accepted++;
                    expectedNames.addAll(expected.verdict() != null && expected.verdict().valid()
                            ? expected.verdict().names() : lenientNames(body.content()));
                }
                String text = reply.body() == null ? "" : new String(reply.body(), StandardCharsets.UTF_8);
                if (INTERNAL_DETAIL.matcher(text).find()) {
                    notes.putIfAbsent(text.replaceAll("\\d+", "N"), "#" + c.id() + " " + c.category() + "/" + c.name()
                            + ": " + clip(text, 300));
                }
                if (!problems.isEmpty()) {
                    failures.add(describe(c, body, seed) + "\n      expected " + expectation(expected)
                            + "\n      got " + (reply.noAnswer() != null ? "no answer: " + reply.noAnswer()
                            : reply.status() + " " + clip(text, 400)) + "\n      " + String.join("; ", problems)
                            + "\n      reproduce: " + curl(c, body, saveReproducer(c, body)));
                }
                if (run % 100 == 0) {
                    String health = healthcheck(client, gateway);
                    if (health != null) {
                        failures.add("after case #" + c.id() + ": " + health);
                    }
                }
            }

            // Still healthy, still publishing, and nothing published that was not accepted.
            String health = healthcheck(client, gateway);
            if (health != null) {
                failures.add("at the end: " + health);
            }
            Set<String> received = new TreeSet<>();
            for (String marker : List.of("fuzz-marker-1", "fuzz-marker-2")) {
                // The second marker is a barrier: its flush starts after the first one's flush is complete.
                Reply markerReply = post(client, gateway, "/metrics", Body.plain("{\"Namespace\":\"Fuzz/Marker\","
                        + "\"MetricData\":[{\"MetricName\":\"" + marker + "\",\"Value\":1,\"Unit\":\"Count\"}]}"), TIMEOUT);
                if (markerReply.status() != 202) {
                    failures.add("the marker " + marker + " was not accepted: " + markerReply.status() + " "
                            + markerReply.noAnswer());
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (!received.contains(marker) && System.nanoTime() < deadline) {
                    RecordedCall call = gateway.cloudWatch.takeCall(Duration.ofNanos(deadline - System.nanoTime()));
                    if (call != null) {
                        call.datums().stream().map(RecordedDatum::metricName).forEach(received::add);
                    }
                }
                if (!received.contains(marker)) {
                    failures.add("the marker datum " + marker + " never reached the CloudWatch stand-in: the gateway"
                            + " stopped publishing");
                }
            }
            for (RecordedCall call = gateway.cloudWatch.takeCall(Duration.ZERO); call != null;
                    call = gateway.cloudWatch.takeCall(Duration.ZERO)) {
                call.datums().stream().map(RecordedDatum::metricName).forEach(received::add);
            }
            received.removeAll(List.of("fuzz-marker-1", "fuzz-marker-2"));
            Set<String> unexpected = new TreeSet<>(received);
            unexpected.removeAll(expectedNames);
            Set<String> missing = new TreeSet<>(expectedNames);
            missing.removeAll(received);
            if (!unexpected.isEmpty()) {
                failures.add("published datums of bodies that were never accepted: " + clip(unexpected.toString(), 2000));
            }
            if (!missing.isEmpty()) {
                failures.add("accepted datums never published: " + clip(missing.toString(), 2000));
            }
        }

        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        StringBuilder summary = new StringBuilder("HostileInputFuzzTest: seed " + seed + ", " + run + " cases in "
                + tookMillis + " ms; " + accepted + " accepted (" + expectedNames.size() + " MetricNames); statuses "
                + statuses + "\n  by category (cases / accepted / refused):\n");
        perCategory.forEach((category, n) -> summary.append(String.format(Locale.ROOT, "    %-16s %5d %5d %5d%n",
                category, n[0], n[1], n[2])));
        summary.append("  slowest: ").append(String.join("; ", slowest.descendingMap().values())).append('\n');
        if (!notes.isEmpty()) {
            summary.append("  responses naming internals (").append(notes.size()).append(" kinds):\n");
            notes.values().forEach(n -> summary.append("    ").append(n).append('\n'));
        }
        System.out.println(summary);
        failures.forEach(f -> System.out.println("FAILURE " + f));
        generatorErrors.forEach(f -> System.out.println("GENERATOR ERROR " + f));
        assertTrue(generatorErrors.isEmpty(), "the test's own labels disagree with its reference reading ("
                + generatorErrors.size() + "):\n" + String.join("\n", generatorErrors.stream().limit(20).toList()));
        assertTrue(failures.isEmpty(), failures.size() + " of " + run + " hostile bodies were mishandled (seed " + seed
                + "):\n" + String.join("\n", failures.stream().limit(40).toList()) + "\n" + summary);
    }

    // ------------------------------------------------------------------------------------------------------
    // Expectations and checks

    private static Expected expect(Case c, Body body, long nowMillis) {
        boolean lenient = body.gz() == Gz.TRAILING_GARBAGE;
        if (body.wire().length > MAX_BODY) {
            return new Expected(413, Set.of("PayloadTooLarge"), null, false);
        }
        if (body.encoding() != null && !body.encoding().equalsIgnoreCase("gzip")
                && !body.encoding().equalsIgnoreCase("x-gzip")) {
            return new Expected(415, Set.of("UnsupportedContentEncoding"), null, false);
        }
        if (body.gz() == Gz.CORRUPT) {
            return new Expected(400, Set.of("InvalidGzip"), null, false);
        }
        if (body.contentLength() > MAX_BODY) {
            return new Expected(413, Set.of("PayloadTooLarge"), null, false);
        }
        if (body.contentLength() == 0) {
            return new Expected(400, Set.of("EmptyBody"), null, lenient);
        }
        Verdict verdict = Reference.judge(body.content(), c.path().equals("/batch"), nowMillis);
        return verdict.valid()
                ? new Expected(202, Set.of(), verdict, lenient)
                : new Expected(400, Set.of("InvalidJson", "ValidationError"), verdict, lenient);
    }

    private static String checkLabel(Case c, Expected expected) {
        String why = expected.verdict() == null ? "status " + expected.status() : expected.verdict().reason();
        if (c.label() == Label.INVALID && expected.status() == 202) {
            return "labelled INVALID, but the reference reading finds it valid";
        }
        if (c.label() == Label.VALID && expected.status() != 202) {
            return "labelled VALID, but the reference reading refuses it: " + why;
        }
        return null;
    }

    private static String expectation(Expected e) {
        if (e.status() == 202) {
            return "202 {\"accepted\":" + e.verdict().names().size() + "}" + (e.orInvalidGzip() ? " or 400 InvalidGzip" : "");
        }
        return e.status() + " " + e.errors() + (e.verdict() != null ? " (reference: " + e.verdict().reason() + ")" : "")
                + (e.orInvalidGzip() ? " or 400 InvalidGzip" : "");
    }

    private static List<String> check(Expected expected, Reply reply) {
        List<String> problems = new ArrayList<>();
        if (reply.noAnswer() != null) {
            problems.add("no answer");
            return problems;
        }
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        if (reply.status() >= 500) {
            problems.add("a 5xx");
        }
        if (text.contains("Exception") || STACK_FRAME.matcher(text).find()) {
            problems.add("the body names an exception or a stack frame");
        }
        boolean statusOk = reply.status() == expected.status() || (expected.orInvalidGzip() && reply.status() == 400);
        if (!statusOk) {
            problems.add(reply.status() == 202 ? "accepted a body that breaks the rules"
                    : expected.status() == 202 ? "refused a valid body"
                    : "status " + reply.status() + ", not " + expected.status());
        }
        JsonNode json;
        try {
            json = JSON.readTree(reply.body());
        } catch (IOException e) {
            problems.add("the body is not JSON");
            return problems;
        }
        if (reply.status() == 202) {
            if (json == null || !json.path("accepted").isInt() || json.size() != 1) {
                problems.add("202 without {\"accepted\":N}");
            } else if (expected.verdict() != null && expected.verdict().valid()
                    && json.get("accepted").intValue() != expected.verdict().names().size()) {
                problems.add("accepted " + json.get("accepted").intValue() + " datums, the body has "
                        + expected.verdict().names().size());
            }
            return problems;
        }
        if (json == null || !json.path("error").isTextual() || json.get("error").asText().isEmpty()) {
            problems.add("no \"error\" string in the body");
        } else if (statusOk) {
            Set<String> allowed = expected.orInvalidGzip() ? union(expected.errors(), Set.of("InvalidGzip"))
                    : expected.errors();
            if (!allowed.contains(json.get("error").asText())) {
                problems.add("error " + json.get("error").asText() + ", not one of " + allowed);
            }
        }
        if (json != null && hasUnpairedSurrogate(json)) {
            problems.add("the error body has a string that is not valid Unicode (an unpaired surrogate, e.g. from"
                    + " clipping echoed text between the halves of a pair)");
        }
        if (json != null && !json.path("message").isTextual()) {
            problems.add("no \"message\" string in the body");
        }
        if (Boolean.FALSE.equals(reply.reusable()) && !"close".equalsIgnoreCase(reply.connection())) {
            problems.add("the server closed the connection after this answer without saying Connection: close, so a"
                    + " keep-alive client sends its next request into a closed connection (or is reset before it"
                    + " reads the answer)");
        }
        if (reply.status() >= 400 && !"application/json".equals(reply.contentType())) {
            problems.add("Content-Type " + reply.contentType());
        }
        return problems;
    }

    private static boolean hasUnpairedSurrogate(JsonNode node) {
        if (node.isTextual()) {
            String text = node.asText();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode child : node) {
            if (hasUnpairedSurrogate(child)) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** The MetricNames of a body the gateway accepted although the reference reading refuses it. */
    private static List<String> lenientNames(byte[] content) {
        List<String> names = new ArrayList<>();
        try {
            JsonNode root = JSON.readTree(content);
            for (JsonNode input : root.isArray() ? root : List.of(root)) {
                for (JsonNode datum : input.path("MetricData")) {
                    names.add(datum.path("MetricName").asText());
                }
            }
        } catch (IOException | RuntimeException e) {
            names.add("(unreadable accepted body)");
        }
        return names;
    }

    // ------------------------------------------------------------------------------------------------------
    // HTTP

    private static Reply send(HttpClient client, GatewayUnderTest gateway, Case c, Body body) {
        return body.wire().length > MAX_BODY ? rawPost(gateway, c.path(), body, c.timeout())
                : post(client, gateway, c.path(), body, c.timeout());
    }

    /**
     * A body over the limit, sent on a connection of its own while the answer is read at the same time (as curl
     * does): the server answers before it has read the body, and a client that only reads once it has sent
     * everything may be reset before it sees the answer. Then tries a second request on the same connection.
     */
    private static Reply rawPost(GatewayUnderTest gateway, String path, Body body, Duration timeout) {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", gateway.gateway.address().getPort()), 5000);
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\n");
            if (body.encoding() != null) {
                head.append("Content-Encoding: ").append(body.encoding()).append("\r\n");
            }
            head.append(body.chunked() ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.wire().length + "\r\n");
            byte[] wire = body.wire();
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    out.write(utf8(head + "\r\n"));
                    if (!body.chunked()) {
                        out.write(wire);
                    } else {
                        for (int at = 0; at < wire.length; at += 65_536) {
                            int length = Math.min(65_536, wire.length - at);
                            out.write(utf8(Integer.toHexString(length) + "\r\n"));
                            out.write(wire, at, length);
                            out.write(utf8("\r\n"));
                        }
                        out.write(utf8("0\r\n\r\n"));
                    }
                    out.flush();
                } catch (IOException e) {
                    // the server refused the body and closed: what it answered is read below
                }
            });
            Reply reply = readResponse(in, started);
            writer.join(timeout.toMillis());
            boolean reusable;
            try {
                out.write(utf8("GET /healthcheck HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                out.flush();
                reusable = readResponse(in, System.nanoTime()).status() == 200;
            } catch (IOException e) {
                reusable = false;
            }
            return new Reply(reply.status(), reply.contentType(), reply.body(), null, reply.micros(), reply.connection(),
                    reusable);
        } catch (SocketTimeoutException e) {
            return Reply.none("nothing within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            return Reply.none(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.none("interrupted");
        }
    }

    /** One HTTP/1.1 response with a Content-Length body (what the gateway sends). */
    private static Reply readResponse(InputStream in, long started) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Reply(Integer.parseInt(statusLine.split(" ")[1]), headers.get("content-type"), body, null,
                (System.nanoTime() - started) / 1000, headers.get("connection"), null);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static Reply post(HttpClient client, GatewayUnderTest gateway, String path, Body body, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(timeout)
                .header("Content-Type", "application/json");
        if (body.encoding() != null) {
            request.header("Content-Encoding", body.encoding());
        }
        byte[] wire = body.wire();
        request.POST(body.chunked()
                ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(wire))
                : HttpRequest.BodyPublishers.ofByteArray(wire));
        return exchange(client, request.build(), timeout);
    }

    private static Reply exchange(HttpClient client, HttpRequest request, Duration timeout) {
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), null, (System.nanoTime() - started) / 1000, null, null);
        } catch (TimeoutException e) {
            future.cancel(true);
            return Reply.none("nothing within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Reply.none(String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Reply.none("interrupted");
        }
    }

    /** Null when healthy, else what is wrong. */
    private static String healthcheck(HttpClient client, GatewayUnderTest gateway) {
        Reply reply = exchange(client, HttpRequest.newBuilder(gateway.uri("/healthcheck")).timeout(TIMEOUT).GET().build(),
                TIMEOUT);
        if (reply.noAnswer() != null) {
            return "GET /healthcheck: no answer: " + reply.noAnswer();
        }
        String text = new String(reply.body(), StandardCharsets.UTF_8);
        return reply.status() == 200 && text.equals("{\"status\":\"ok\"}") ? null
                : "GET /healthcheck: " + reply.status() + " " + clip(text, 200);
    }

    // ------------------------------------------------------------------------------------------------------
    // Reporting

    private static String describe(Case c, Body body, long seed) {
        return "#" + c.id() + " " + c.category() + "/" + c.name() + " (seed " + seed + ", label " + c.label() + "): POST "
                + c.path() + ", " + body.wire().length + " bytes" + (body.encoding() != null ? ", Content-Encoding "
                + body.encoding() : "") + (body.chunked() ? ", chunked" : "") + ": " + preview(body.wire(), 160);
    }

    private static Path saveReproducer(Case c, Body body) {
        try {
            Files.createDirectories(REPRODUCERS);
            Path file = REPRODUCERS.resolve("case-" + c.id() + ".bin");
            Files.write(file, body.wire());
            return file;
        } catch (IOException e) {
            return null;
        }
    }

    private static String curl(Case c, Body body, Path file) {
        return "curl -s -X POST localhost:3000" + c.path() + " -H 'Content-Type: application/json'"
                + (body.encoding() != null ? " -H 'Content-Encoding: " + body.encoding() + "'" : "")
                + (body.chunked() ? " -H 'Transfer-Encoding: chunked'" : "")
                + " --data-binary @" + (file == null ? "(not saved)" : file);
    }

    /** The start of a body, readable: printable ASCII as is, everything else as \xNN. */
    private static String preview(byte[] bytes, int max) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < bytes.length && text.length() < max; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format(Locale.ROOT, "\\x%02X", b));
            }
        }
        return text.length() >= max || text.length() < bytes.length ? text + "... (" + bytes.length + " bytes)" : text.toString();
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + text.length() + " chars)";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------------------
    // The reference reading: the README's rules, written again from the README, independently of src/main.

    static final class Reference {

        private static final ObjectMapper STRICT = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes",
                "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits",
                "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
                "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
                "Gigabits/Second", "Terabits/Second", "Count/Second", "None");
        private static final Set<String> INPUT_FIELDS = Set.of("Namespace", "MetricData");
        private static final Set<String> DATUM_FIELDS = Set.of("MetricName", "Dimensions", "Value", "Values",
                "Counts", "StatisticValues", "Unit", "StorageResolution", "Timestamp");
        private static final Set<String> DIMENSION_FIELDS = Set.of("Name", "Value");
        private static final Set<String> STATISTIC_FIELDS = Set.of("SampleCount", "Sum", "Minimum", "Maximum");

        private static final class Invalid extends Exception {
            Invalid(String message) {
                super(message, null, false, false);
            }
        }

        private final long nowMillis;
        private final List<String> names = new ArrayList<>();

        private Reference(long nowMillis) {
            this.nowMillis = nowMillis;
        }

        static Verdict judge(byte[] content, boolean batch, long nowMillis) {
            Reference reference = new Reference(nowMillis);
            try {
                reference.body(content, batch);
                return new Verdict(true, List.copyOf(reference.names), "valid");
            } catch (Invalid e) {
                return new Verdict(false, List.of(), e.getMessage());
            }
        }

        private void body(byte[] content, boolean batch) throws Invalid {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content));
            } catch (CharacterCodingException e) {
                throw new Invalid("not UTF-8 (" + e + ")");
            }
            JsonNode root;
            try {
                root = STRICT.readTree(content);
            } catch (IOException e) {
                throw new Invalid("not JSON (" + clip(String.valueOf(e.getMessage()).split("\n")[0], 160) + ")");
            }
            if (root == null || root.isMissingNode()) {
                throw new Invalid("no JSON value");
            }
            if (!batch) {
                input(root, "(body)");
                return;
            }
            if (!root.isArray() || root.isEmpty()) {
                throw new Invalid("a batch must be a non-empty array");
            }
            for (int i = 0; i < root.size(); i++) {
                input(root.get(i), "[" + i + "]");
            }
        }

        private void input(JsonNode input, String at) throws Invalid {
            object(input, at, INPUT_FIELDS);
            String namespace = ascii(text(required(input, "Namespace", at), 255, at + ".Namespace"), false,
                    at + ".Namespace");
            if (namespace.startsWith(":") || namespace.startsWith("AWS/")) {
                throw new Invalid(at + ".Namespace starts with ':' or 'AWS/'");
            }
            JsonNode datums = required(input, "MetricData", at);
            if (!datums.isArray() || datums.isEmpty() || datums.size() > 1000) {
                throw new Invalid(at + ".MetricData must be an array of 1 to 1000 datums");
            }
            for (int i = 0; i < datums.size(); i++) {
                datum(datums.get(i), at + ".MetricData[" + i + "]");
            }
        }

        private void datum(JsonNode datum, String at) throws Invalid {
            object(datum, at, DATUM_FIELDS);
            String name = text(required(datum, "MetricName", at), 255, at + ".MetricName");
            JsonNode dimensions = present(datum, "Dimensions");
            if (dimensions != null) {
                if (!dimensions.isArray() || dimensions.size() > 30) {
                    throw new Invalid(at + ".Dimensions must be an array of at most 30");
                }
                Set<String> dimensionNames = new HashSet<>();
                for (int i = 0; i < dimensions.size(); i++) {
                    JsonNode dimension = dimensions.get(i);
                    String dimAt = at + ".Dimensions[" + i + "]";
                    object(dimension, dimAt, DIMENSION_FIELDS);
                    String dimName = ascii(text(required(dimension, "Name", dimAt), 255, dimAt + ".Name"), true,
                            dimAt + ".Name");
                    ascii(text(required(dimension, "Value", dimAt), 1024, dimAt + ".Value"), true, dimAt + ".Value");
                    if (dimName.startsWith(":") || !dimensionNames.add(dimName)) {
                        throw new Invalid(dimAt + ".Name starts with ':' or repeats another");
                    }
                }
            }
            JsonNode value = present(datum, "Value");
            JsonNode values = present(datum, "Values");
            JsonNode counts = present(datum, "Counts");
            JsonNode statistics = present(datum, "StatisticValues");
            int forms = (value != null ? 1 : 0) + (values != null ? 1 : 0) + (statistics != null ? 1 : 0);
            if (forms != 1) {
                throw new Invalid(at + " must have exactly one of Value, Values, StatisticValues, has " + forms);
            }
            if (value != null) {
                value(value, at + ".Value");
            }
            if (values != null) {
                if (!values.isArray() || values.isEmpty() || values.size() > 150) {
                    throw new Invalid(at + ".Values must be an array of 1 to 150 numbers");
                }
                for (int i = 0; i < values.size(); i++) {
                    value(values.get(i), at + ".Values[" + i + "]");
                }
            }
            if (counts != null) {
                if (values == null || !counts.isArray() || counts.size() != values.size()) {
                    throw new Invalid(at + ".Counts must go with Values and have as many items");
                }
                for (int i = 0; i < counts.size(); i++) {
                    if (value(counts.get(i), at + ".Counts[" + i + "]") < 0) {
                        throw new Invalid(at + ".Counts[" + i + "] is negative");
                    }
                }
            }
            if (statistics != null) {
                object(statistics, at + ".StatisticValues", STATISTIC_FIELDS);
                String statAt = at + ".StatisticValues";
                double sampleCount = value(required(statistics, "SampleCount", statAt), statAt + ".SampleCount");
                value(required(statistics, "Sum", statAt), statAt + ".Sum");
                double minimum = value(required(statistics, "Minimum", statAt), statAt + ".Minimum");
                double maximum = value(required(statistics, "Maximum", statAt), statAt + ".Maximum");
                if (sampleCount <= 0 || minimum > maximum) {
                    throw new Invalid(statAt + ": SampleCount <= 0 or Minimum > Maximum");
                }
            }
            JsonNode unit = present(datum, "Unit");
            if (unit != null && !(unit.isTextual() && UNITS.contains(unit.asText()))) {
                throw new Invalid(at + ".Unit is not a CloudWatch unit");
            }
            JsonNode resolution = present(datum, "StorageResolution");
            if (resolution != null && !(resolution.isNumber()
                    && (resolution.doubleValue() == 1 || resolution.doubleValue() == 60))) {
                throw new Invalid(at + ".StorageResolution must be 1 or 60");
            }
            JsonNode timestamp = present(datum, "Timestamp");
            if (timestamp != null) {
                timestamp(timestamp, at + ".Timestamp");
            }
            names.add(name);
        }

        private void timestamp(JsonNode timestamp, String at) throws Invalid {
            long millis;
            if (timestamp.isTextual()) {
                String text = timestamp.asText();
                try {
                    millis = text.endsWith("Z") || text.endsWith("z") ? Instant.parse(text).toEpochMilli()
                            : OffsetDateTime.parse(text).toInstant().toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    throw new Invalid(at + " is not an ISO-8601 date-time with a zone");
                }
            } else if (timestamp.isNumber()) {
                double number = timestamp.doubleValue();
                if (!Double.isFinite(number) || number < 0) {
                    throw new Invalid(at + " is not a usable epoch number");
                }
                double asMillis = number < 1e11 ? number * 1000 : number;
                if (asMillis > Long.MAX_VALUE / 2) {
                    throw new Invalid(at + " is far out of range");
                }
                millis = Math.round(asMillis);
            } else {
                throw new Invalid(at + " must be a string or a number");
            }
            // The gateway's window, read from production: CloudWatch's 14 days less the 10 minutes it keeps in hand.
            long oldest = nowMillis - CloudWatchRules.MAX_AGE.toMillis();
            if (millis < oldest || millis > nowMillis + CloudWatchRules.MAX_AHEAD.toMillis()) {
                throw new Invalid(at + " is outside " + CloudWatchRules.MAX_AGE + " back to "
                        + CloudWatchRules.MAX_AHEAD + " ahead");
            }
        }

        private static double value(JsonNode number, String at) throws Invalid {
            if (!number.isNumber()) {
                throw new Invalid(at + " must be a number");
            }
            double value = number.doubleValue();
            double magnitude = Math.abs(value);
            if (!Double.isFinite(value) || (magnitude != 0 && (magnitude < 8.515920e-109 || magnitude > 1.174271e+108))) {
                throw new Invalid(at + " is out of CloudWatch's range");
            }
            return value;
        }

        private static String text(JsonNode node, int max, String at) throws Invalid {
            if (!node.isTextual()) {
                throw new Invalid(at + " must be a string");
            }
            String text = node.asText();
            if (text.isEmpty() || text.length() > max) {
                throw new Invalid(at + " must be 1 to " + max + " characters, is " + text.length());
            }
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new Invalid(at + " has an unpaired surrogate");
                }
            }
            return text;
        }

        /** ASCII without control characters; with {@code notBlank}, not only whitespace either. */
        private static String ascii(String text, boolean notBlank, String at) throws Invalid {
            if (!text.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
                throw new Invalid(at + " is not ASCII without control characters");
            }
            if (notBlank && text.isBlank()) {
                throw new Invalid(at + " has no character but whitespace");
            }
            return text;
        }

        private static void object(JsonNode node, String at, Set<String> fields) throws Invalid {
            if (!node.isObject()) {
                throw new Invalid(at + " must be an object");
            }
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!fields.contains(name)) {
                    throw new Invalid(at + " has an unknown field " + clip(name, 40));
                }
            }
        }

        /** A field that is there and not null. */
        private static JsonNode present(JsonNode object, String field) {
            JsonNode node = object.get(field);
            return node == null || node.isNull() ? null : node;
        }

        private static JsonNode required(JsonNode object, String field, String at) throws Invalid {
            JsonNode node = present(object, field);
            if (node == null) {
                throw new Invalid(at + "." + field + " is required");
            }
            return node;
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Gzip

    static final class Gzip {

        static byte[] of(byte[] content) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
                gzip.write(content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** {@code prefix}, then {@code fill} repeated {@code count} times, then {@code suffix}, compressed as it streams. */
        static byte[] streamed(byte[] prefix, byte fill, long count, byte[] suffix) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 1 << 16)) {
                gzip.write(prefix);
                byte[] block = new byte[1 << 16];
                Arrays.fill(block, fill);
                for (long left = count; left > 0; left -= block.length) {
                    gzip.write(block, 0, (int) Math.min(block.length, left));
                }
                gzip.write(suffix);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** A gzip member written by hand, with the optional header fields (RFC 1952) a client may send. */
        static byte[] withHeaderFields(byte[] content, boolean extra, String fileName, String comment, boolean headerCrc,
                                       boolean wrongHeaderCrc) {
            ByteArrayOutputStream header = new ByteArrayOutputStream();
            int flags = (headerCrc ? 2 : 0) | (extra ? 4 : 0) | (fileName != null ? 8 : 0) | (comment != null ? 16 : 0);
            header.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 255});
            if (extra) {
                header.writeBytes(new byte[] {6, 0, 'A', 'p', 2, 0, 'h', 'i'});
            }
            if (fileName != null) {
                header.writeBytes(utf8(fileName));
                header.write(0);
            }
            if (comment != null) {
                header.writeBytes(utf8(comment));
                header.write(0);
            }
            if (headerCrc) {
                CRC32 crc = new CRC32();
                crc.update(header.toByteArray());
                int crc16 = (int) crc.getValue() & 0xFFFF ^ (wrongHeaderCrc ? 0x5A5A : 0);
                header.write(crc16 & 0xFF);
                header.write(crc16 >>> 8);
            }
            return concat(header.toByteArray(), rawDeflateWithTrailer(content));
        }

        private static byte[] rawDeflateWithTrailer(byte[] content) {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            deflater.setInput(content);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            CRC32 crc = new CRC32();
            crc.update(content);
            long crcValue = crc.getValue();
            for (long v : new long[] {crcValue, content.length & 0xFFFFFFFFL}) {
                for (int i = 0; i < 4; i++) {
                    out.write((int) (v >>> (8 * i)) & 0xFF);
                }
            }
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // The cases

    /** Builds every case from the seed. Randomness is only used here, while building: bodies built later are fixed. */
    static final class Generator {

        enum Form { VALUE, VALUES, STATS }

        /** Marks where raw bytes go in a body built as text. */
        private static final String HOLE = "\u0000HOLE\u0000";
        /** Marks where a big value goes in a body built as text. */
        private static final String BIG = "\u0000BIG\u0000";

        private final Random rnd;
        private final long nowMillis;
        private final List<Case> cases = new ArrayList<>();
        private String category;

        Generator(long seed, long nowMillis) {
            this.rnd = new Random(seed);
            this.nowMillis = nowMillis;
        }

        List<Case> all() {
            validControls();
            randomBytes();
            deepNesting();
            hugeStrings();
            numbers();
            nanAndInfinity();
            duplicateKeys();
            invalidUtf8();
            surrogateEscapes();
            wrongTypes();
            mutations();
            gzip();
            wide(); // last: if the server is slow on them, the rest has run already
            timestampWindow(); // after all the others, which it leaves as they were for a given seed
            return cases;
        }

        // --- helpers ---------------------------------------------------------------------------------------

        private int id() {
            return cases.size();
        }

        private static String name(int id, int k) {
            return "fz" + id + "-" + k;
        }

        private void add(String name, Label label, String path, Supplier<Body> body) {
            add(name, label, path, TIMEOUT, body);
        }

        private void add(String name, Label label, String path, Duration timeout, Supplier<Body> body) {
            cases.add(new Case(id(), category, name, path, label, timeout, body));
        }

        private <T> T pick(List<T> items) {
            return items.get(rnd.nextInt(items.size()));
        }

        private static String q(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        private static String member(String key, String json) {
            return q(key) + ":" + json;
        }

        private String object(List<String> members, Map<String, String> ov, String extraKey, boolean shuffle) {
            List<String> all = new ArrayList<>(members);
            if (ov.containsKey(extraKey)) {
                all.add(ov.get(extraKey));
            }
            if (shuffle) {
                Collections.shuffle(all, rnd);
            }
            return "{" + String.join(",", all) + "}";
        }

        /** A valid timestamp, 1 h 23 min 17.25 s ago, in one of the forms clients send. */
        private String timestamp() {
            long millis = nowMillis - 5_000_000 + 2_750;
            Instant at = Instant.ofEpochMilli(millis);
            return switch (rnd.nextInt(4)) {
                case 0 -> q(at.toString());
                case 1 -> q(at.atOffset(ZoneOffset.ofHours(2)).toString());
                case 2 -> String.format(Locale.ROOT, "%.3f", millis / 1000.0);
                default -> Long.toString(millis);
            };
        }

        /**
         * A valid MetricDatum of {@code form}, with values replaced by {@code ov} (path to JSON text; "+Datum",
         * "+Dimensions[0]", "+StatisticValues" add members). Field order is shuffled.
         */
        private String datum(Form form, String metricName, Map<String, String> ov) {
            List<String> members = new ArrayList<>();
            members.add(member("MetricName", ov.getOrDefault("MetricName", q(metricName))));
            String dimension0 = ov.getOrDefault("Dimensions[0]", object(List.of(
                    member("Name", ov.getOrDefault("Dimensions[0].Name", "\"Host\"")),
                    member("Value", ov.getOrDefault("Dimensions[0].Value", "\"h-17\""))), ov, "+Dimensions[0]", true));
            members.add(member("Dimensions", ov.getOrDefault("Dimensions",
                    "[" + dimension0 + ",{\"Name\":\"Zone\",\"Value\":\"eu\\/west \\u0031\"}]")));
            switch (form) {
                case VALUE -> members.add(member("Value", ov.getOrDefault("Value", "42.5")));
                case VALUES -> {
                    members.add(member("Values", ov.getOrDefault("Values",
                            "[" + ov.getOrDefault("Values[0]", "1.5") + ",2,3e0]")));
                    members.add(member("Counts", ov.getOrDefault("Counts",
                            "[" + ov.getOrDefault("Counts[0]", "1") + ",4,2.0]")));
                }
                case STATS -> members.add(member("StatisticValues", ov.getOrDefault("StatisticValues", object(List.of(
                        member("SampleCount", ov.getOrDefault("StatisticValues.SampleCount", "3")),
                        member("Sum", ov.getOrDefault("StatisticValues.Sum", "6.5")),
                        member("Minimum", ov.getOrDefault("StatisticValues.Minimum", "1")),
                        member("Maximum", ov.getOrDefault("StatisticValues.Maximum", "3.25"))),
                        ov, "+StatisticValues", true))));
            }
            members.add(member("Unit", ov.getOrDefault("Unit", "\"Milliseconds\"")));
            members.add(member("StorageResolution", ov.getOrDefault("StorageResolution", rnd.nextBoolean() ? "60" : "1")));
            members.add(member("Timestamp", ov.getOrDefault("Timestamp", timestamp())));
            return object(members, ov, "+Datum", true);
        }

        /** A PutMetricData input around {@code datums} (JSON texts), with "Namespace", "MetricData", "+Input" overrides. */
        private String input(List<String> datums, Map<String, String> ov) {
            List<String> data = new ArrayList<>(datums);
            if (ov.containsKey("MetricData[0]")) {
                data.set(0, ov.get("MetricData[0]"));
            }
            return object(List.of(
                    member("Namespace", ov.getOrDefault("Namespace", "\"Fuzz/Hostile\"")),
                    member("MetricData", ov.getOrDefault("MetricData", "[" + String.join(",", data) + "]"))),
                    ov, "+Input", true);
        }

        private String validInput(int id, int k) {
            return input(List.of(datum(pick(List.of(Form.values())), name(id, k), Map.of())), Map.of());
        }

        record Placed(String path, String body) {}

        /** One input where a request carries it: alone on /metrics, alone in a /batch, or second in a /batch. */
        private Placed place(String input, int id) {
            return switch (rnd.nextInt(3)) {
                case 0 -> new Placed("/metrics", input);
                case 1 -> new Placed("/batch", "[" + input + "]");
                default -> new Placed("/batch", "[" + validInput(id, 9) + ", " + input + "]");
            };
        }

        /** Adds one case: an input with the overrides, placed on a random endpoint, with raw bytes at HOLE. */
        private void addInput(String name, Label label, Form form, Map<String, String> ov, byte[] hole) {
            addInput(name, label, form, ov, hole, null);
        }

        /** As above; a big value (built only when the case runs) goes where {@link #BIG} is. */
        private void addInput(String name, Label label, Form form, Map<String, String> ov, byte[] hole,
                              Supplier<String> big) {
            int id = id();
            Map<String, String> inputOv = new LinkedHashMap<>();
            Map<String, String> datumOv = new LinkedHashMap<>();
            ov.forEach((k, v) -> (k.equals("Namespace") || k.equals("MetricData") || k.equals("MetricData[0]")
                    || k.equals("+Input") ? inputOv : datumOv).put(k, v));
            Placed placed = place(input(List.of(datum(form, name(id, 0), datumOv)), inputOv), id);
            if (big != null) {
                String text = placed.body();
                add(name, label, placed.path(), () -> Body.plain(text.replace(BIG, big.get())));
                return;
            }
            byte[] bytes = hole == null ? utf8(placed.body()) : splice(placed.body(), hole);
            add(name, label, placed.path(), () -> Body.plain(bytes));
        }

        private static byte[] splice(String text, byte[] hole) {
            String[] parts = text.split(Pattern.quote(HOLE), -1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) {
                    out.writeBytes(hole);
                }
                out.writeBytes(utf8(parts[i]));
            }
            return out.toByteArray();
        }

        private static byte[] bytes(int... values) {
            byte[] out = new byte[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = (byte) values[i];
            }
            return out;
        }

        // --- categories ------------------------------------------------------------------------------------

        /** Valid bodies, so that acceptance and publishing are exercised too (and the oracle is held to them). */
        private void validControls() {
            category = "valid-control";
            for (Form form : Form.values()) {
                addInput("valid " + form, Label.VALID, form, Map.of(), null);
            }
            int id = id();
            String edge = input(List.of(
                    datum(Form.VALUE, name(id, 0) + "x".repeat(255 - name(id, 0).length()), Map.of("Value", "1.174271e+108")),
                    datum(Form.VALUE, name(id, 1), Map.of("Value", "-8.515920e-109", "Unit", "\"Count/Second\"")),
                    datum(Form.VALUES, name(id, 2), Map.of("Values", "[" + "0,".repeat(149) + "1]", "Counts", "null")),
                    datum(Form.STATS, name(id, 3), Map.of("StatisticValues.Minimum", "3.25", "Dimensions", "[]"))),
                    Map.of("Namespace", q("N".repeat(255))));
            add("edges of every range", Label.VALID, "/metrics", () -> Body.plain(edge));
            // Metric names, unlike namespaces and dimensions, may be any Unicode: raw, escaped and astral.
            addInput("a metric name beyond ASCII", Label.VALID, Form.VALUE,
                    Map.of("MetricName", "\"" + name(id(), 0) + " \\u00e9 \u00fc \uD83D\uDE00\""), null);
            id = id();
            StringBuilder thirty = new StringBuilder("[");
            for (int i = 0; i < 30; i++) {
                thirty.append(i == 0 ? "" : ",").append("{\"Name\":\"d").append(i).append("\",\"Value\":")
                        .append(q("v".repeat(1024))).append('}');
            }
            String dims = input(List.of(datum(Form.VALUE, name(id, 0), Map.of("Dimensions", thirty + "]"))), Map.of());
            add("30 dimensions with 1024-character values", Label.VALID, "/batch", () -> Body.plain("[" + dims + "]"));
            id = id();
            List<String> thousand = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                thousand.add("{\"MetricName\":\"" + name(id, i) + "\",\"Value\":" + i + "}");
            }
            String big = input(thousand, Map.of());
            add("1000 datums", Label.VALID, "/metrics", () -> Body.plain(big));
            id = id();
            String nulls = "{\"Namespace\":\"Fuzz/Nulls\",\"MetricData\":[{\"MetricName\":\"" + name(id, 0)
                    + "\",\"Value\":2,\"Values\":null,\"Counts\":null,\"StatisticValues\":null,\"Dimensions\":null,"
                    + "\"Unit\":null,\"StorageResolution\":null,\"Timestamp\":null}]}";
            add("null optional fields", Label.VALID, "/metrics", () -> Body.plain(nulls));
            id = id();
            String bom = validInput(id, 0);
            add("UTF-8 byte order mark before the body", Label.MAYBE, "/metrics",
                    () -> Body.plain(concat(bytes(0xEF, 0xBB, 0xBF), utf8(bom))));
            id = id();
            String spaced = " \t\r\n[ " + validInput(id, 0) + " ,\n" + validInput(id, 1) + " ]\n\n ";
            add("whitespace around the tokens", Label.VALID, "/batch", () -> Body.plain(spaced));
            id = id();
            String nested = validInput(id, 0).replace("\"Host\"", q("[".repeat(200) + "{{{"));
            add("brackets inside a string are not nesting", Label.VALID, "/metrics", () -> Body.plain(nested));
        }

        /**
         * Both ends of the timestamp window, 5 minutes either side. The server and the reference read their
         * clocks a little after {@code nowMillis}, which moves the window later: the margin covers that (the whole
         * test has 180 s), so a case inside stays inside and one outside stays outside. The oldest pair tells a reference reading
         * CloudWatch's 14 days from the gateway's 14 days less 10 minutes: CloudWatch would take the second.
         */
        private void timestampWindow() {
            category = "timestamp-window";
            long margin = Duration.ofMinutes(5).toMillis();
            long oldest = nowMillis - CloudWatchRules.MAX_AGE.toMillis();
            long latest = nowMillis + CloudWatchRules.MAX_AHEAD.toMillis();
            addInput("a timestamp 5 minutes inside the oldest the gateway accepts", Label.VALID, Form.VALUE,
                    Map.of("Timestamp", Long.toString(oldest + margin)), null);
            addInput("a timestamp CloudWatch would take but the gateway cannot deliver in time", Label.INVALID,
                    Form.VALUE, Map.of("Timestamp", Long.toString(oldest - margin)), null);
            addInput("a timestamp 5 minutes inside the latest accepted", Label.VALID, Form.VALUE,
                    Map.of("Timestamp", q(Instant.ofEpochMilli(latest - margin).toString())), null);
            addInput("a timestamp 5 minutes past the latest accepted", Label.INVALID, Form.VALUE,
                    Map.of("Timestamp", q(Instant.ofEpochMilli(latest + margin).toString())), null);
        }

        private void randomBytes() {
            category = "random-bytes";
            for (int i = 0; i < 60; i++) {
                int length = i < 50 ? 1 + rnd.nextInt(i < 25 ? 64 : 4096) : 65_536 + rnd.nextInt(65_536);
                byte[] bytes = new byte[length];
                rnd.nextBytes(bytes);
                if (i % 3 == 0) {
                    bytes[0] = (byte) (i % 2 == 0 ? '{' : '['); // get past the first byte at least
                }
                add(length + " random bytes", Label.INVALID, i % 2 == 0 ? "/metrics" : "/batch",
                        () -> Body.plain(bytes));
            }
            category = "token-soup";
            List<String> tokens = List.of("{", "}", "[", "]", ":", ",", "\"Namespace\"", "\"MetricData\"",
                    "\"MetricName\"", "\"Value\"", "\"Values\"", "\"Counts\"", "\"StatisticValues\"", "\"Dimensions\"",
                    "\"Name\"", "\"Unit\"", "\"Timestamp\"", "\"StorageResolution\"", "\"Fuzz\"", "\"Count\"", "1", "-0.5",
                    "1e400", "null", "true", "false", "\"\"", " ", "\"\\u", "\\", "\"");
            for (int i = 0; i < 40; i++) {
                StringBuilder soup = new StringBuilder(i % 2 == 0 ? "{" : "[");
                for (int n = 1 + rnd.nextInt(60); n > 0; n--) {
                    soup.append(pick(tokens));
                }
                String text = soup.toString();
                add("token soup", Label.MAYBE, i % 2 == 0 ? "/metrics" : "/batch", () -> Body.plain(text));
            }
        }

        private void deepNesting() {
            category = "deep-nesting";
            int depth = 10_000;
            String arrays = "[".repeat(depth) + "]".repeat(depth);
            String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            String mixed = "[{\"a\":".repeat(depth / 2) + "0" + "}]".repeat(depth / 2);
            for (String path : List.of("/metrics", "/batch")) {
                add("10000 nested arrays as the body", Label.INVALID, path, () -> Body.plain(arrays));
                add("10000 nested objects as the body", Label.INVALID, path, () -> Body.plain(objects));
                add("10000 alternating arrays and objects", Label.INVALID, path, () -> Body.plain(mixed));
                add("10000 unclosed arrays", Label.INVALID, path, () -> Body.plain("[".repeat(depth)));
                add("10000 unclosed objects", Label.INVALID, path, () -> Body.plain("{\"a\":".repeat(depth)));
            }
            for (String at : List.of("Value", "Dimensions", "Dimensions[0].Value", "Timestamp", "Values[0]", "MetricData[0]")) {
                addInput("10000 nested arrays at " + at, Label.INVALID, at.startsWith("Values") ? Form.VALUES : Form.VALUE,
                        Map.of(at, arrays), null);
            }
            addInput("10000 nested objects at StatisticValues.Sum", Label.INVALID, Form.STATS,
                    Map.of("StatisticValues.Sum", objects), null);
            addInput("10000 nested objects in an unknown field", Label.INVALID, Form.VALUE,
                    Map.of("+Datum", "\"Extra\":" + objects), null);
            add("1,000,000 nested arrays", Label.INVALID, "/metrics", () -> Body.plain("[".repeat(1_000_000)));
            add("1,000,000 nested arrays, gzipped", Label.INVALID, "/batch",
                    () -> Body.gzip(utf8("[".repeat(1_000_000) + "]".repeat(1_000_000))));
        }

        private void hugeStrings() {
            category = "huge-strings";
            Supplier<String> x = () -> "x".repeat(TEN_MB);
            String big = "\"" + BIG + "\"";
            for (String at : List.of("Namespace", "MetricName", "Dimensions[0].Name", "Dimensions[0].Value", "Unit",
                    "Timestamp", "Value")) {
                addInput("10 MB string at " + at, Label.INVALID, Form.VALUE, Map.of(at, big), null, x);
            }
            addInput("10 MB key", Label.INVALID, Form.VALUE, Map.of("+Datum", big + ":1"), null, x);
            addInput("10 MB string in an unknown field", Label.INVALID, Form.VALUE, Map.of("+Input", "\"Extra\":" + big),
                    null, x);
            addInput("10 MB of two-byte characters in MetricName", Label.INVALID, Form.VALUE, Map.of("MetricName", big),
                    null, () -> "\u00e9".repeat(TEN_MB / 2));
            addInput("10 MB of \\u escapes in a dimension value", Label.INVALID, Form.VALUE,
                    Map.of("Dimensions[0].Value", big), null, () -> "\\u0041".repeat(TEN_MB / 6));
            addInput("10 MB of lone-surrogate escapes in MetricName", Label.INVALID, Form.VALUE, Map.of("MetricName", big),
                    null, () -> "\\uD800".repeat(TEN_MB / 6));
            add("unterminated 10 MB string", Label.INVALID, "/metrics", () -> Body.plain("{\"Namespace\":\"" + x.get()));
            add("10 MB string then a raw control character", Label.INVALID, "/metrics",
                    () -> Body.plain("{\"Namespace\":\"" + x.get() + "\u0001\"}"));
            int id6 = id();
            add("10 MB of whitespace, then a valid body", Label.VALID, "/metrics",
                    () -> Body.plain(" ".repeat(TEN_MB) + validInputFixed(id6)));
            int id7 = id();
            add("a valid body, then 10 MB of whitespace", Label.VALID, "/batch",
                    () -> Body.plain("[" + validInputFixed(id7) + "]" + "\n".repeat(TEN_MB)));
            int id8 = id();
            add("a valid body padded to exactly MAX_BODY_BYTES", Label.VALID, "/metrics", () -> {
                byte[] valid = utf8(validInputFixed(id8));
                return Body.plain(concat(valid, utf8(" ".repeat(MAX_BODY - valid.length))));
            });
            int id9 = id();
            add("a valid body padded to MAX_BODY_BYTES + 1", Label.INVALID, "/metrics", () -> {
                byte[] valid = utf8(validInputFixed(id9));
                return Body.plain(concat(valid, utf8(" ".repeat(MAX_BODY + 1 - valid.length))));
            });
            add("17 MB string, over the limit", Label.INVALID, "/metrics",
                    () -> Body.plain("{\"Namespace\":\"" + "y".repeat(17_000_000) + "\"}"));
            add("17 MB batch, over the limit", Label.INVALID, "/batch",
                    () -> Body.plain("[" + "{},".repeat(5_700_000) + "{}]"));
            add("17 MB chunked (no Content-Length), over the limit", Label.INVALID, "/metrics",
                    () -> Body.chunked(utf8("{\"Namespace\":\"" + "z".repeat(17_000_000) + "\"}")));
            int id10 = id();
            add("a valid body, chunked", Label.VALID, "/batch",
                    () -> Body.chunked(utf8("[" + validInputFixed(id10) + "]")));
        }

        /** A valid input that needs no randomness (for bodies built lazily). */
        private static String validInputFixed(int id) {
            return "{\"Namespace\":\"Fuzz/Hostile\",\"MetricData\":[{\"MetricName\":\"" + name(id, 0)
                    + "\",\"Dimensions\":[{\"Name\":\"Host\",\"Value\":\"h\"}],\"Value\":3,\"Unit\":\"Count\"}]}";
        }

        private static final List<String> NUMERIC_SLOTS = List.of("Value", "Values[0]", "Counts[0]",
                "StatisticValues.SampleCount", "StatisticValues.Sum", "StatisticValues.Minimum",
                "StatisticValues.Maximum", "StorageResolution", "Timestamp");

        private static Form formOf(String slot) {
            if (slot.startsWith("Values") || slot.startsWith("Counts")) {
                return Form.VALUES;
            }
            return slot.startsWith("StatisticValues") ? Form.STATS : Form.VALUE;
        }

        private void numbers() {
            category = "numbers";
            List<String> literals = new ArrayList<>(List.of("1e400", "-1e400", "1e-400", "-1e-400", "4.9e-324",
                    "-4.9e-324", "2.2250738585072014E-308", "1.7976931348623157e308", "2e108", "-2e108",
                    "1.174271e+108", "1.174272e108", "8.515920e-109", "8.51591e-109", "123456789012345678901234567890",
                    "-123456789012345678901234567890", "9" + "0".repeat(399), "1e1000000000", "0", "-0", "0.0", "-0.0",
                    "0e400", "1E2", "6e1", "1.0", "60.000000000000000001", "0.99999999999999999999",
                    "9007199254740993", "99999999999.999", "1e11",
                    Long.toString((nowMillis - 60_000) / 1000), Long.toString(nowMillis - 60_000),
                    "1" + "0".repeat(1200), "1." + "0".repeat(1200)));
            for (String slot : NUMERIC_SLOTS) {
                for (String literal : literals) {
                    addInput(literal.length() > 40 ? literal.length() + "-digit number at " + slot
                            : literal + " at " + slot, Label.MAYBE, formOf(slot), Map.of(slot, literal), null);
                }
            }
            List<String> notJson = List.of("01", "+1", ".5", "1.", "1e", "-", "--1", "0x1F", "1_000", "1e+-2",
                    "\u0661", "1 2", "0.5.5");
            for (String slot : List.of("Value", "Values[0]", "StatisticValues.SampleCount")) {
                for (String literal : notJson) {
                    addInput("not a JSON number: " + literal + " at " + slot, Label.INVALID, formOf(slot),
                            Map.of(slot, literal), null);
                }
            }
        }

        private void nanAndInfinity() {
            category = "nan-infinity";
            List<String> literals = List.of("NaN", "-NaN", "Infinity", "-Infinity", "+Infinity", "inf", "nan");
            List<String> slots = new ArrayList<>(NUMERIC_SLOTS);
            slots.addAll(List.of("Namespace", "MetricName", "Dimensions[0].Value"));
            for (String slot : slots) {
                for (String literal : literals) {
                    addInput(literal + " at " + slot, Label.INVALID, formOf(slot), Map.of(slot, literal), null);
                }
            }
            for (String literal : List.of("NaN", "Infinity")) {
                add(literal + " as the body", Label.INVALID, "/metrics", () -> Body.plain(literal));
                add("[" + literal + "] as the body", Label.INVALID, "/batch", () -> Body.plain("[" + literal + "]"));
            }
        }

        private void duplicateKeys() {
            category = "duplicate-keys";
            record Dup(String key, String where, Form form, List<String> values) {}
            List<Dup> dups = List.of(
                    new Dup("Namespace", "+Input", Form.VALUE, List.of("\"Fuzz/Hostile\"", "\"Other\"", "null")),
                    new Dup("MetricData", "+Input", Form.VALUE, List.of("[{\"MetricName\":\"dup\",\"Value\":1}]", "null")),
                    new Dup("MetricName", "+Datum", Form.VALUE, List.of("\"again\"", "null")),
                    new Dup("Dimensions", "+Datum", Form.VALUE, List.of("[]", "null")),
                    new Dup("Value", "+Datum", Form.VALUE, List.of("42.5", "1", "null")),
                    new Dup("Values", "+Datum", Form.VALUES, List.of("[1.5,2,3]", "null")),
                    new Dup("Counts", "+Datum", Form.VALUES, List.of("[1,1,1]", "null")),
                    new Dup("StatisticValues", "+Datum", Form.STATS,
                            List.of("{\"SampleCount\":1,\"Sum\":1,\"Minimum\":1,\"Maximum\":1}", "null")),
                    new Dup("Unit", "+Datum", Form.VALUE, List.of("\"Milliseconds\"", "\"Count\"", "null")),
                    new Dup("StorageResolution", "+Datum", Form.VALUE, List.of("60", "1", "null")),
                    new Dup("Timestamp", "+Datum", Form.VALUE, List.of(timestamp(), "null")),
                    new Dup("Name", "+Dimensions[0]", Form.VALUE, List.of("\"Host\"", "\"Other\"", "null")),
                    new Dup("Value", "+Dimensions[0]", Form.VALUE, List.of("\"h-17\"", "\"other\"", "null")),
                    new Dup("SampleCount", "+StatisticValues", Form.STATS, List.of("3", "4", "null")),
                    new Dup("Sum", "+StatisticValues", Form.STATS, List.of("6.5", "null")),
                    new Dup("Minimum", "+StatisticValues", Form.STATS, List.of("1", "null")),
                    new Dup("Maximum", "+StatisticValues", Form.STATS, List.of("3.25", "null")));
            for (Dup dup : dups) {
                for (String value : dup.values()) {
                    addInput(dup.key() + " twice (" + value + ") in " + dup.where().substring(1), Label.INVALID,
                            dup.form(), Map.of(dup.where(), member(dup.key(), value)), null);
                }
            }
            addInput("MetricName twice, once spelt with an escape", Label.INVALID, Form.VALUE,
                    Map.of("+Datum", "\"Metric\\u004eame\":\"escaped\""), null);
            addInput("Namespace twice, once spelt with an escape", Label.INVALID, Form.VALUE,
                    Map.of("+Input", "\"Names\\u0070ace\":\"Fuzz/Hostile\""), null);
            addInput("metricname in lower case next to MetricName", Label.INVALID, Form.VALUE,
                    Map.of("+Datum", "\"metricname\":\"lower\""), null);
            int id = id();
            StringBuilder many = new StringBuilder("{\"MetricName\":\"" + name(id, 0) + "\"");
            for (int i = 0; i < 1000; i++) {
                many.append(",\"Value\":").append(i);
            }
            String manyValues = "{\"Namespace\":\"Fuzz/Hostile\",\"MetricData\":[" + many + "}]}";
            add("Value 1000 times", Label.INVALID, "/metrics", () -> Body.plain(manyValues));
        }

        private void invalidUtf8() {
            category = "invalid-utf8";
            record Seq(String name, byte[] bytes, boolean valid) {}
            List<Seq> seqs = List.of(
                    new Seq("lone continuation 80", bytes(0x80), false),
                    new Seq("lone continuation BF", bytes(0xBF), false),
                    new Seq("two continuations", bytes(0x80, 0x80), false),
                    new Seq("truncated 2-byte C3 then ASCII", bytes(0xC3, 0x41), false),
                    new Seq("truncated 3-byte E2 82 then ASCII", bytes(0xE2, 0x82, 0x41), false),
                    new Seq("truncated 4-byte F0 9F 98 then ASCII", bytes(0xF0, 0x9F, 0x98, 0x41), false),
                    new Seq("truncated 2-byte C3", bytes(0xC3), false),
                    new Seq("truncated 4-byte F0 9F", bytes(0xF0, 0x9F), false),
                    new Seq("overlong C0 AF (/)", bytes(0xC0, 0xAF), false),
                    new Seq("overlong C1 BF", bytes(0xC1, 0xBF), false),
                    new Seq("overlong C0 80 (NUL)", bytes(0xC0, 0x80), false),
                    new Seq("overlong E0 80 AF (/)", bytes(0xE0, 0x80, 0xAF), false),
                    new Seq("overlong E0 9F BF", bytes(0xE0, 0x9F, 0xBF), false),
                    new Seq("overlong F0 80 80 AF (/)", bytes(0xF0, 0x80, 0x80, 0xAF), false),
                    new Seq("overlong F0 8F BF BF", bytes(0xF0, 0x8F, 0xBF, 0xBF), false),
                    new Seq("surrogate U+D800 encoded", bytes(0xED, 0xA0, 0x80), false),
                    new Seq("surrogate U+DBFF encoded", bytes(0xED, 0xAF, 0xBF), false),
                    new Seq("surrogate U+DC00 encoded", bytes(0xED, 0xB0, 0x80), false),
                    new Seq("surrogate U+DFFF encoded", bytes(0xED, 0xBF, 0xBF), false),
                    new Seq("surrogate pair encoded (CESU-8)", bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), false),
                    new Seq("U+110000", bytes(0xF4, 0x90, 0x80, 0x80), false),
                    new Seq("F5 lead", bytes(0xF5, 0x80, 0x80, 0x80), false),
                    new Seq("5-byte form", bytes(0xF8, 0x88, 0x80, 0x80, 0x80), false),
                    new Seq("6-byte form", bytes(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80), false),
                    new Seq("FE", bytes(0xFE), false),
                    new Seq("FF", bytes(0xFF), false),
                    new Seq("valid U+00E9", bytes(0xC3, 0xA9), true),
                    new Seq("valid U+FFFF", bytes(0xEF, 0xBF, 0xBF), true),
                    new Seq("valid U+1F600", bytes(0xF0, 0x9F, 0x98, 0x80), true),
                    new Seq("valid U+10FFFF", bytes(0xF4, 0x8F, 0xBF, 0xBF), true),
                    new Seq("valid U+2028", bytes(0xE2, 0x80, 0xA8), true),
                    new Seq("valid U+FEFF inside", bytes(0xEF, 0xBB, 0xBF), true));
            for (Seq seq : seqs) {
                Label inText = seq.valid() ? Label.MAYBE : Label.INVALID;
                addInput(seq.name() + " in Namespace", inText, Form.VALUE, Map.of("Namespace", "\"Fuzz" + HOLE + "\""), seq.bytes());
                addInput(seq.name() + " in MetricName", inText, Form.VALUE, Map.of("MetricName", "\"m" + HOLE + "\""), seq.bytes());
                addInput(seq.name() + " in a dimension value", inText, Form.STATS,
                        Map.of("Dimensions[0].Value", "\"v" + HOLE + "\""), seq.bytes());
                addInput(seq.name() + " in Unit", Label.INVALID, Form.VALUES, Map.of("Unit", "\"Count" + HOLE + "\""), seq.bytes());
                addInput(seq.name() + " in a key", Label.INVALID, Form.VALUE, Map.of("+Datum", "\"Ex" + HOLE + "tra\":1"), seq.bytes());
                addInput(seq.name() + " between tokens", Label.INVALID, Form.VALUE, Map.of("Value", HOLE + "1"), seq.bytes());
                if (!seq.valid()) {
                    int id = id();
                    String text = validInputFixed(id);
                    byte[] body = concat(utf8(text.substring(0, text.length() - 4)), seq.bytes());
                    add(seq.name() + " at the end of the body", Label.INVALID, "/metrics", () -> Body.plain(body));
                }
            }
        }

        private void surrogateEscapes() {
            category = "surrogate-escapes";
            List<String> escapes = List.of("\\uD800", "\\uDBFF", "\\uDC00", "\\uDFFF", "\\uD800\\u0041",
                    "\\uDC00\\uD800", "\\uD800\\uD800", "x\\uD83D", "\\ud83d\\ude00", "\\uD83D\\uDE00");
            List<String> slots = List.of("Namespace", "MetricName", "Dimensions[0].Name", "Dimensions[0].Value", "Unit",
                    "Timestamp");
            for (String escape : escapes) {
                for (String slot : slots) {
                    String prefix = slot.equals("Unit") ? "Count" : slot.equals("Timestamp") ? "2026-01-01T00:00:00" : "s";
                    addInput(escape + " at " + slot, Label.MAYBE, Form.VALUE, Map.of(slot, "\"" + prefix + escape + "\""), null);
                }
                addInput(escape + " in a key", Label.INVALID, Form.VALUE, Map.of("+Datum", "\"k" + escape + "\":1"), null);
                addInput(escape + " in a key of StatisticValues", Label.INVALID, Form.STATS,
                        Map.of("+StatisticValues", "\"Sum" + escape + "\":1"), null);
            }
            // Echoed text is clipped in messages: a cut between the two halves of a pair would send broken Unicode.
            String atCut = "\"" + "a".repeat(79) + "\uD83D\uDE00tail\"";
            addInput("an unknown key clipped at a surrogate pair", Label.INVALID, Form.VALUE, Map.of("+Datum", atCut + ":1"), null);
            addInput("an unknown input key clipped at a surrogate pair", Label.INVALID, Form.VALUE,
                    Map.of("+Input", atCut + ":1"), null);
            addInput("an unknown dimension key clipped at a surrogate pair", Label.INVALID, Form.VALUE,
                    Map.of("+Dimensions[0]", atCut + ":1"), null);
            String pairAtCut = "\"" + "a".repeat(79) + "\uD83D\uDE00\"";
            addInput("a repeated dimension name clipped at a surrogate pair", Label.INVALID, Form.VALUE, Map.of("Dimensions",
                    "[{\"Name\":" + pairAtCut + ",\"Value\":\"1\"},{\"Name\":" + pairAtCut + ",\"Value\":\"2\"}]"), null);
            List<String> broken = List.of("\\u12G4", "\\u12", "\\x41", "\\'", "\\U0001F600", "\\a", "\\u", "\\");
            for (String escape : broken) {
                addInput("bad escape " + escape + " in MetricName", Label.INVALID, Form.VALUE,
                        Map.of("MetricName", "\"m" + escape + "\""), null);
                addInput("bad escape " + escape + " in a key", Label.INVALID, Form.STATS,
                        Map.of("+Datum", "\"k" + escape + "\":1"), null);
            }
        }

        private void wrongTypes() {
            category = "wrong-types";
            record Slot(String path, Form form, Set<String> accepts) {}
            Set<String> string = Set.of("string");
            Set<String> number = Set.of("number");
            Set<String> array = Set.of("array");
            Set<String> object = Set.of("object");
            List<Slot> slots = List.of(
                    new Slot("Namespace", Form.VALUE, string), new Slot("MetricData", Form.VALUE, array),
                    new Slot("MetricData[0]", Form.VALUE, object), new Slot("MetricName", Form.VALUE, string),
                    new Slot("Dimensions", Form.VALUE, array), new Slot("Dimensions[0]", Form.VALUE, object),
                    new Slot("Dimensions[0].Name", Form.VALUE, string), new Slot("Dimensions[0].Value", Form.VALUE, string),
                    new Slot("Value", Form.VALUE, number), new Slot("Unit", Form.VALUE, string),
                    new Slot("StorageResolution", Form.VALUE, number),
                    new Slot("Timestamp", Form.VALUE, Set.of("string", "number")),
                    new Slot("Values", Form.VALUES, array), new Slot("Values[0]", Form.VALUES, number),
                    new Slot("Counts", Form.VALUES, array), new Slot("Counts[0]", Form.VALUES, number),
                    new Slot("StatisticValues", Form.STATS, object),
                    new Slot("StatisticValues.SampleCount", Form.STATS, number),
                    new Slot("StatisticValues.Sum", Form.STATS, number),
                    new Slot("StatisticValues.Minimum", Form.STATS, number),
                    new Slot("StatisticValues.Maximum", Form.STATS, number));
            record Replacement(String name, String json, String type) {}
            List<Replacement> replacements = List.of(
                    new Replacement("null", "null", "null"), new Replacement("true", "true", "boolean"),
                    new Replacement("false", "false", "boolean"), new Replacement("0", "0", "number"),
                    new Replacement("-1", "-1", "number"), new Replacement("1.5", "1.5", "number"),
                    new Replacement("60", "60", "number"), new Replacement("\"\"", "\"\"", "string"),
                    new Replacement("\"Count\"", "\"Count\"", "string"), new Replacement("\"1\"", "\"1\"", "string"),
                    new Replacement("an ISO timestamp", q(Instant.ofEpochMilli(nowMillis - 60_000).toString()), "string"),
                    new Replacement("[]", "[]", "array"), new Replacement("[1,2]", "[1,2]", "array"),
                    new Replacement("[[]]", "[[]]", "array"), new Replacement("[null]", "[null]", "array"),
                    new Replacement("[\"1\"]", "[\"1\"]", "array"), new Replacement("{}", "{}", "object"),
                    new Replacement("{Name,Value}", "{\"Name\":\"a\",\"Value\":\"b\"}", "object"),
                    new Replacement("huge string (1 MB)", null, "string"),
                    new Replacement("huge array (100,000 items)", null, "array"),
                    new Replacement("huge object (10,000 keys)", null, "object"),
                    new Replacement("huge number (400 digits)", "7".repeat(400), "number"));
            String hugeString = q("s".repeat(1_000_000));
            String hugeArray = "[" + "1,".repeat(99_999) + "1]";
            StringBuilder hugeObjectText = new StringBuilder("{");
            for (int i = 0; i < 10_000; i++) {
                hugeObjectText.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
            }
            String hugeObject = hugeObjectText.append('}').toString();
            for (Slot slot : slots) {
                for (Replacement r : replacements) {
                    String json = r.json() != null ? r.json() : switch (r.type()) {
                        case "string" -> hugeString;
                        case "array" -> hugeArray;
                        default -> hugeObject;
                    };
                    Label label = r.type().equals("null") || slot.accepts().contains(r.type()) ? Label.MAYBE : Label.INVALID;
                    addInput(r.name() + " at " + slot.path(), label, slot.form(), Map.of(slot.path(), json), null);
                }
            }
            // The body itself, and a batch element, of every type.
            for (Replacement r : replacements) {
                String json = r.json() != null ? r.json() : switch (r.type()) {
                    case "string" -> hugeString;
                    case "array" -> hugeArray;
                    default -> hugeObject;
                };
                add(r.name() + " as the /metrics body", r.type().equals("object") ? Label.MAYBE : Label.INVALID,
                        "/metrics", () -> Body.plain(json));
                add(r.name() + " as the /batch body", r.type().equals("array") ? Label.MAYBE : Label.INVALID,
                        "/batch", () -> Body.plain(json));
                int id = id();
                String batch = "[" + validInput(id, 0) + "," + json + "]";
                add(r.name() + " as the second input of a batch", Label.INVALID, "/batch", () -> Body.plain(batch));
            }
        }

        /** Truncations at every kind of position, bit flips, inserted garbage, cut and repeated ranges. */
        private void mutations() {
            category = "mutations";
            for (int template = 0; template < 6; template++) {
                // Truncations: one cut at a random position of every kind found in this template.
                Map<String, List<Integer>> cuts = new LinkedHashMap<>();
                byte[] probe = utf8(templateBody(template, id()).body());
                String[] kinds = Positions.kinds(probe);
                for (int i = 1; i < Positions.end(probe); i++) {
                    cuts.computeIfAbsent(kinds[i], k -> new ArrayList<>()).add(i);
                }
                for (Map.Entry<String, List<Integer>> kind : cuts.entrySet()) {
                    int at = pick(kind.getValue());
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] whole = utf8(placed.body());
                    // Field order is shuffled for every case: choose the cut again among this body's positions of the kind.
                    String[] again = Positions.kinds(whole);
                    List<Integer> same = new ArrayList<>();
                    for (int i = 1; i < Positions.end(whole); i++) {
                        if (again[i].equals(kind.getKey())) {
                            same.add(i);
                        }
                    }
                    int cut = same.isEmpty() ? Math.min(at, Positions.end(whole) - 1) : same.get(rnd.nextInt(same.size()));
                    byte[] body = Arrays.copyOf(whole, cut);
                    add("template " + template + " cut " + kind.getKey() + " (at " + cut + " of " + whole.length + ")",
                            Label.INVALID, placed.path(), () -> Body.plain(body));
                }
                for (int cut : new int[] {0, 1, -1}) {
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] whole = utf8(placed.body());
                    byte[] body = Arrays.copyOf(whole, cut < 0 ? Positions.end(whole) - 1 : cut);
                    add("template " + template + " cut to " + body.length + " bytes", Label.INVALID, placed.path(),
                            () -> Body.plain(body));
                }
                for (int n = 0; n < 12; n++) {
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] body = utf8(placed.body());
                    int at = rnd.nextInt(body.length);
                    int bit = rnd.nextInt(8);
                    body[at] ^= (byte) (1 << bit);
                    add("template " + template + " bit " + bit + " of byte " + at + " flipped", Label.MAYBE, placed.path(),
                            () -> Body.plain(body));
                }
                for (int n = 0; n < 4; n++) {
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] body = utf8(placed.body());
                    int at = rnd.nextInt(body.length);
                    body[at] = (byte) rnd.nextInt(256);
                    add("template " + template + " byte " + at + " replaced", Label.MAYBE, placed.path(), () -> Body.plain(body));
                }
                List<byte[]> garbage = List.of(utf8("{"), utf8("}"), utf8("["), utf8("]"), utf8(":"), utf8(","),
                        utf8("\""), utf8("\\"), utf8(" \n\t"), utf8("null"), utf8("1e999"), utf8(",,"), bytes(0),
                        bytes(0xFF), bytes(0xC3), utf8("\"\":"), utf8("/*x*/"), utf8("//\n"));
                for (int n = 0; n < 10; n++) {
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] whole = utf8(placed.body());
                    byte[] insert;
                    if (n % 3 == 2) {
                        insert = new byte[1 + rnd.nextInt(8)];
                        rnd.nextBytes(insert);
                    } else {
                        insert = pick(garbage);
                    }
                    int at = rnd.nextInt(whole.length + 1);
                    byte[] body = concat(Arrays.copyOf(whole, at), insert, Arrays.copyOfRange(whole, at, whole.length));
                    add("template " + template + " " + preview(insert, 20) + " inserted at " + at, Label.MAYBE,
                            placed.path(), () -> Body.plain(body));
                }
                for (int n = 0; n < 8; n++) {
                    int id = id();
                    Placed placed = templateBody(template, id);
                    byte[] whole = utf8(placed.body());
                    int from = rnd.nextInt(whole.length);
                    int to = Math.min(whole.length, from + 1 + rnd.nextInt(30));
                    byte[] body = n % 2 == 0
                            ? concat(Arrays.copyOf(whole, from), Arrays.copyOfRange(whole, to, whole.length))
                            : concat(Arrays.copyOf(whole, to), Arrays.copyOfRange(whole, from, whole.length));
                    add("template " + template + (n % 2 == 0 ? " bytes cut out " : " bytes repeated ") + from + ".." + to,
                            Label.MAYBE, placed.path(), () -> Body.plain(body));
                }
            }
        }

        /** Six valid bodies to mutate: each value form, several datums, batches, whitespace, a null. */
        private Placed templateBody(int template, int id) {
            return switch (template) {
                case 0 -> new Placed("/metrics", input(List.of(datum(Form.VALUE, name(id, 0), Map.of())), Map.of()));
                case 1 -> new Placed("/metrics", input(List.of(datum(Form.VALUES, name(id, 0), Map.of())), Map.of())
                        .replace("\":\"", "\" : \"").replace("\",\"", "\",\n \""));
                case 2 -> new Placed("/metrics", input(List.of(datum(Form.STATS, name(id, 0), Map.of("Unit", "null"))), Map.of()));
                case 3 -> new Placed("/metrics", input(List.of(datum(Form.VALUE, name(id, 0), Map.of()),
                        datum(Form.VALUES, name(id, 1), Map.of()), datum(Form.STATS, name(id, 2), Map.of())), Map.of()));
                case 4 -> new Placed("/batch", "[" + validInput(id, 0) + "," + validInput(id, 1) + "]");
                default -> new Placed("/batch", "[\n  " + validInput(id, 0) + ",\n  " + validInput(id, 1) + ",\n  "
                        + input(List.of(datum(Form.VALUE, name(id, 2), Map.of()), datum(Form.STATS, name(id, 3), Map.of())),
                        Map.of("Namespace", "\"Fuzz/Other\"")) + "\n]\n");
            };
        }

        private void gzip() {
            category = "gzip";
            for (String encoding : List.of("gzip", "x-gzip", "GZIP")) {
                int id = id();
                Placed placed = place(validInput(id, 0), id);
                byte[] content = utf8(placed.body());
                add("valid body, Content-Encoding " + encoding, Label.VALID, placed.path(),
                        () -> Body.gzipWire(Gzip.of(content), encoding, Gz.OK, content));
            }
            for (int template = 0; template < 6; template++) {
                int id = id();
                Placed placed = templateBody(template, id);
                byte[] content = utf8(placed.body());
                add("template " + template + " gzipped", Label.VALID, placed.path(), () -> Body.gzip(content));
            }
            int id = id();
            Placed split = place(validInput(id, 0), id);
            byte[] splitContent = utf8(split.body());
            int half = splitContent.length / 2;
            add("two gzip members (concatenated)", Label.VALID, split.path(), () -> Body.gzipWire(concat(
                    Gzip.of(Arrays.copyOf(splitContent, half)), Gzip.of(Arrays.copyOfRange(splitContent, half, splitContent.length))),
                    "gzip", Gz.OK, splitContent));
            id = id();
            Placed fields = place(validInput(id, 0), id);
            byte[] fieldsContent = utf8(fields.body());
            add("gzip header with FEXTRA, FNAME, FCOMMENT and a right FHCRC", Label.VALID, fields.path(),
                    () -> Body.gzipWire(Gzip.withHeaderFields(fieldsContent, true, "metrics.json", "from a test", true, false),
                            "gzip", Gz.OK, fieldsContent));
            id = id();
            Placed badCrc = place(validInput(id, 0), id);
            byte[] badCrcContent = utf8(badCrc.body());
            add("gzip header with a wrong FHCRC", Label.INVALID, badCrc.path(),
                    () -> Body.gzipWire(Gzip.withHeaderFields(badCrcContent, false, "m.json", null, true, true),
                            "gzip", Gz.CORRUPT, null));
            id = id();
            Placed unterminated = place(validInput(id, 0), id);
            add("gzip header with an FNAME that never ends", Label.INVALID, unterminated.path(), () -> {
                byte[] header = {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 3};
                return Body.gzipWire(concat(header, utf8("x".repeat(200))), "gzip", Gz.CORRUPT, null);
            });

            // Corrupt gzip of a valid body: every one must be 400 InvalidGzip.
            for (int n = 0; n < 14; n++) {
                int caseId = id();
                Placed placed = place(validInput(caseId, 0), caseId);
                byte[] good = Gzip.of(utf8(placed.body()));
                byte[] bad;
                String what;
                switch (n) {
                    case 0 -> { bad = good.clone(); bad[0] = 0x1e; what = "wrong magic"; }
                    case 1 -> { bad = good.clone(); bad[2] = 7; what = "compression method 7"; }
                    case 2 -> { bad = Arrays.copyOf(good, 1); what = "1 byte"; }
                    case 3 -> { bad = Arrays.copyOf(good, 10); what = "header only"; }
                    case 4 -> { bad = Arrays.copyOf(good, 10 + (good.length - 18) / 2); what = "cut in the deflate data"; }
                    case 5 -> { bad = Arrays.copyOf(good, good.length - 1); what = "last byte missing"; }
                    case 6 -> { bad = Arrays.copyOf(good, good.length - 8); what = "trailer missing"; }
                    case 7 -> { bad = good.clone(); bad[good.length - 8] ^= 0x01; what = "CRC-32 wrong"; }
                    case 8 -> { bad = good.clone(); bad[good.length - 4] ^= 0x01; what = "ISIZE wrong"; }
                    case 9, 10, 11 -> {
                        bad = good.clone();
                        int at = 10 + rnd.nextInt(good.length - 18);
                        bad[at] ^= (byte) (1 << rnd.nextInt(8));
                        what = "a bit flipped in the deflate data at " + at;
                    }
                    case 12 -> {
                        bad = concat(Arrays.copyOf(good, 10), new byte[64]);
                        rnd.nextBytes(bad);
                        bad[0] = 0x1f;
                        bad[1] = (byte) 0x8b;
                        bad[2] = 8;
                        bad[3] = 0;
                        what = "gzip header, then random bytes";
                    }
                    default -> { bad = utf8(placed.body()); what = "not gzip at all (the plain JSON)"; }
                }
                byte[] wire = bad;
                add("corrupt: " + what, Label.INVALID, placed.path(), () -> Body.gzipWire(wire, "gzip", Gz.CORRUPT, null));
            }
            for (int n = 0; n < 3; n++) {
                int caseId = id();
                Placed placed = place(validInput(caseId, 0), caseId);
                byte[] content = utf8(placed.body());
                byte[] tail = n == 0 ? utf8("garbage") : n == 1 ? new byte[] {0x1f, (byte) 0x8b} : new byte[] {0, 0, 0, 0};
                add("valid gzip, then trailing bytes " + preview(tail, 20), Label.MAYBE, placed.path(),
                        () -> Body.gzipWire(concat(Gzip.of(content), tail), "gzip", Gz.TRAILING_GARBAGE, content));
            }

            // Gzip of bodies that are not valid once unpacked.
            id = id();
            String truncated = validInput(id, 0);
            byte[] truncatedContent = utf8(truncated.substring(0, truncated.length() / 2));
            add("gzip of a truncated body", Label.INVALID, "/metrics", () -> Body.gzip(truncatedContent));
            byte[] random = new byte[2000];
            rnd.nextBytes(random);
            add("gzip of random bytes", Label.INVALID, "/batch", () -> Body.gzip(random));
            add("gzip of nothing", Label.INVALID, "/metrics", () -> Body.gzip(new byte[0]));
            id = id();
            byte[] once = Gzip.of(utf8(validInput(id, 0)));
            add("gzip of gzip (only one layer is undone)", Label.INVALID, "/metrics", () -> Body.gzipWire(Gzip.of(once),
                    "gzip", Gz.OK, once));
            id = id();
            Placed invalidUtf8 = place(validInput(id, 0).replace("\"Host\"", "\"H" + HOLE + "\""), id);
            byte[] invalidUtf8Content = splice(invalidUtf8.body(), bytes(0xED, 0xA0, 0x80));
            add("gzip of a body with an encoded surrogate", Label.INVALID, invalidUtf8.path(),
                    () -> Body.gzip(invalidUtf8Content));
            id = id();
            byte[] deflate = utf8(validInput(id, 0));
            add("Content-Encoding br", Label.INVALID, "/metrics", () -> Body.gzipWire(deflate, "br", Gz.NONE, deflate));

            // Bombs and limits after gunzip.
            add("gzip bomb: 64 MiB of spaces", Label.INVALID, "/metrics",
                    () -> Body.bomb(Gzip.streamed(new byte[0], (byte) ' ', 64L << 20, new byte[0]), 64L << 20));
            add("gzip bomb: 64 MiB of zero bytes", Label.INVALID, "/batch",
                    () -> Body.bomb(Gzip.streamed(new byte[0], (byte) 0, 64L << 20, new byte[0]), 64L << 20));
            add("gzip bomb: 256 MiB of '['", Label.INVALID, "/batch",
                    () -> Body.bomb(Gzip.streamed(new byte[0], (byte) '[', 256L << 20, new byte[0]), 256L << 20));
            byte[] prefix = utf8("{\"Namespace\":\"");
            byte[] suffix = utf8("\",\"MetricData\":[]}");
            add("gzip bomb: a 40 MB Namespace", Label.INVALID, "/metrics",
                    () -> Body.bomb(Gzip.streamed(prefix, (byte) 'A', 40_000_000, suffix), prefix.length + 40_000_000L + suffix.length));
            int atLimit = id();
            add("gzip of a valid body padded to exactly MAX_BODY_BYTES", Label.VALID, "/metrics", () -> {
                byte[] valid = utf8(validInputFixed(atLimit));
                byte[] content = concat(valid, utf8(" ".repeat(MAX_BODY - valid.length)));
                return Body.gzipWire(Gzip.of(content), "gzip", Gz.OK, content);
            });
            int overLimit = id();
            add("gzip of a valid body padded to MAX_BODY_BYTES + 1", Label.INVALID, "/metrics", () -> {
                byte[] valid = utf8(validInputFixed(overLimit));
                return Body.bomb(Gzip.streamed(valid, (byte) ' ', MAX_BODY + 1 - valid.length, new byte[0]), MAX_BODY + 1L);
            });
            add("17 MB of incompressible gzip", Label.INVALID, "/metrics", () -> {
                byte[] noise = new byte[17_500_000];
                new Random(17).nextBytes(noise);
                return Body.bomb(Gzip.of(noise), noise.length);
            });
        }

        /** Bodies of a few MB made of very many small items: each must be answered quickly, not in quadratic time. */
        private void wide() {
            category = "wide";
            int id = id();
            add("200,000 unknown keys in a datum", Label.INVALID, "/metrics", WIDE_TIMEOUT, () -> {
                StringBuilder body = new StringBuilder("{\"Namespace\":\"Fuzz/Wide\",\"MetricData\":[{\"MetricName\":\""
                        + name(id, 0) + "\",\"Value\":1");
                for (int i = 0; i < 200_000; i++) {
                    body.append(",\"k").append(i).append("\":0");
                }
                return Body.plain(body.append("}]}").toString());
            });
            int id2 = id();
            add("1,000,000 Values", Label.INVALID, "/metrics", WIDE_TIMEOUT, () -> Body.plain(
                    "{\"Namespace\":\"Fuzz/Wide\",\"MetricData\":[{\"MetricName\":\"" + name(id2, 0) + "\",\"Values\":["
                            + "1,".repeat(999_999) + "1]}]}"));
            int id3 = id();
            add("200,000 datums", Label.INVALID, "/metrics", WIDE_TIMEOUT, () -> {
                StringBuilder body = new StringBuilder("{\"Namespace\":\"Fuzz/Wide\",\"MetricData\":[");
                for (int i = 0; i < 200_000; i++) {
                    body.append(i == 0 ? "" : ",").append("{\"MetricName\":\"").append(name(id3, i)).append("\",\"Value\":1}");
                }
                return Body.plain(body.append("]}").toString());
            });
            add("500,000 empty inputs in a batch", Label.INVALID, "/batch", WIDE_TIMEOUT,
                    () -> Body.plain("[" + "{},".repeat(499_999) + "{}]"));
            int id4 = id();
            add("100,000 distinct dimensions (3 MB, under the default 4 MiB limit)", Label.INVALID, "/metrics",
                    WIDE_TIMEOUT, () -> {
                        StringBuilder body = new StringBuilder("{\"Namespace\":\"Fuzz/Wide\",\"MetricData\":[{\"MetricName\":\""
                                + name(id4, 0) + "\",\"Value\":1,\"Dimensions\":[");
                        for (int i = 0; i < 100_000; i++) {
                            body.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                                    "{\"Name\":\"d%07d\",\"Value\":\"v\"}", i));
                        }
                        return Body.plain(body.append("]}]}").toString());
                    });
        }
    }

    /** Labels every cut position of a JSON text by what the cut leaves unfinished. */
    static final class Positions {

        /** Where the JSON text ends: after its last byte that is not whitespace (a cut there or later is no cut). */
        static int end(byte[] doc) {
            int end = doc.length;
            while (end > 0 && (doc[end - 1] == ' ' || doc[end - 1] == '\n' || doc[end - 1] == '\t' || doc[end - 1] == '\r')) {
                end--;
            }
            return end;
        }

        static String[] kinds(byte[] doc) {
            String[] kinds = new String[doc.length + 1];
            Deque<Character> stack = new ArrayDeque<>();
            boolean expectKey = false;
            int i = 0;
            while (i < doc.length) {
                int b = doc[i] & 0xFF;
                if (b == '"') {
                    boolean key = expectKey && !stack.isEmpty() && stack.peek() == '{';
                    kinds[i + 1] = key ? "in a key" : "in a string";
                    int j = i + 1;
                    while (j < doc.length && doc[j] != '"') {
                        if (doc[j] == '\\') {
                            int length = j + 1 < doc.length && doc[j + 1] == 'u' ? 6 : 2;
                            for (int k = j + 1; k < j + length && k <= doc.length; k++) {
                                kinds[k] = "in an escape";
                            }
                            kinds[Math.min(doc.length, j + length)] = key ? "in a key" : "in a string";
                            j += length;
                            continue;
                        }
                        kinds[j + 1] = j + 1 < doc.length && (doc[j + 1] & 0xC0) == 0x80 ? "in a multi-byte character"
                                : key ? "in a key" : "in a string";
                        j++;
                    }
                    i = Math.min(doc.length, j + 1);
                    kinds[i] = key ? "after a key" : "after a string value";
                    expectKey = false;
                    continue;
                }
                String kind;
                switch (b) {
                    case '{' -> { stack.push('{'); expectKey = true; kind = "after {"; }
                    case '[' -> { stack.push('['); kind = "after ["; }
                    case '}', ']' -> { stack.poll(); kind = "after } or ]"; }
                    case ':' -> kind = "after :";
                    case ',' -> { expectKey = !stack.isEmpty() && stack.peek() == '{'; kind = "after ,"; }
                    case ' ', '\n', '\t', '\r' -> kind = "in whitespace";
                    default -> {
                        boolean numberChar = Character.isDigit(b) || b == '-' || b == '.' || b == 'e' || b == 'E' || b == '+';
                        boolean next = i + 1 < doc.length && (numberChar
                                ? "0123456789-.eE+".indexOf(doc[i + 1]) >= 0 : Character.isLetter(doc[i + 1]));
                        kind = numberChar ? (next ? "in a number" : "after a number")
                                : (next ? "in a literal" : "after a literal");
                    }
                }
                kinds[i + 1] = kind;
                i++;
            }
            for (int k = 0; k < kinds.length; k++) {
                if (kinds[k] == null) {
                    kinds[k] = "other";
                }
            }
            return kinds;
        }
    }
}
