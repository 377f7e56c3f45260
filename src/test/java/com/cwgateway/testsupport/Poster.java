package com.cwgateway.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client of a gateway under test that keeps count of what became of every point it sent, by metric name
 * (each name is sent once, with one value): answered 202, refused (by error code, e.g. {@code SpoolUnavailable},
 * or {@value #CONNECTION_REFUSED} when no gateway listened), or without an answer (the connection died under
 * it, as when the gateway is killed: those may or may not be delivered). Thread-safe: several threads may post
 * through one poster.
 */
public final class Poster {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The error of a request that found no gateway listening: it cannot have been accepted. */
    public static final String CONNECTION_REFUSED = "ConnectionRefused";

    /** What one request got: the HTTP status, or 0 when no answer came, and the error code of a refusal. */
    public record Result(int status, String error) {
        public boolean accepted() {
            return status == 202;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String namespace;
    /** Padding for the dimension added to every datum (to make them bigger), or null. */
    private final String padding;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> unanswered = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<String>> refused = new ConcurrentHashMap<>();

    public Poster(String namespace) {
        this(namespace, null);
    }

    /**
     * Every datum gets the dimension {@code Pad=<its name>-<padding>}, so that a datum takes more room, on disk
     * and in memory (no two share the string).
     */
    public Poster(String namespace, String padding) {
        this.namespace = namespace;
        this.padding = padding;
    }

    /** {@code count} names {@code prefix0}, {@code prefix1}, ... */
    public static List<String> names(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    /**
     * Posts one {@code /batch} request with a datum per name (value 1, unit Count; 1000 datums an input, as
     * CloudWatch allows), and files each name under what the request got.
     */
    public Result post(int port, List<String> names) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            if (i % 1000 == 0) {
                body.append(i == 0 ? "" : "]},").append("{\"Namespace\":\"").append(namespace).append("\",\"MetricData\":[");
            } else {
                body.append(',');
            }
            body.append("{\"MetricName\":\"").append(names.get(i)).append("\",\"Value\":1,\"Unit\":\"Count\"");
            if (padding != null) {
                body.append(",\"Dimensions\":[{\"Name\":\"Pad\",\"Value\":\"").append(names.get(i)).append('-')
                        .append(padding).append("\"}]");
            }
            body.append('}');
        }
        body.append("]}]");
        Result result = send(port, body.toString());
        if (result.accepted()) {
            accepted.addAll(names);
        } else if (result.status() == 0 && !CONNECTION_REFUSED.equals(result.error())) {
            unanswered.addAll(names);
        } else {
            refused.computeIfAbsent(result.error(), error -> ConcurrentHashMap.newKeySet()).addAll(names);
        }
        return result;
    }

    private Result send(int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/batch"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            return new Result(0, CONNECTION_REFUSED);
        } catch (IOException e) {
            return new Result(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(0, e.toString());
        }
        if (response.statusCode() == 202) {
            return new Result(202, null);
        }
        try {
            return new Result(response.statusCode(), JSON.readTree(response.body()).path("error").asText());
        } catch (IOException e) {
            return new Result(response.statusCode(), response.body());
        }
    }

    /** Names answered 202. */
    public Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    /** Names of requests whose connection died before an answer came. */
    public Set<String> unanswered() {
        return Set.copyOf(unanswered);
    }

    /** Names of requests refused with {@code error} (e.g. {@code ShuttingDown}, {@code SpoolUnavailable}). */
    public Set<String> refused(String error) {
        return Set.copyOf(refused.getOrDefault(error, Set.of()));
    }

    /** Refused names by error code. */
    public Map<String, Integer> refusals() {
        Map<String, Integer> counts = new TreeMap<>();
        refused.forEach((error, names) -> counts.put(error, names.size()));
        return counts;
    }
}
