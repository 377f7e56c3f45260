package com.cwgateway.http;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests counted by path, method and status, and timed by path, for {@code GET /metrics}. Only the routed
 * paths and methods become labels, everything else "other", so a client cannot grow the page.
 */
final class RequestStats {

    /** A counter's labels. */
    record Key(String path, String method, int status) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            return (path + method + status).compareTo(other.path + other.method + other.status);
        }
    }

    /** The methods some route answers; any other a client sends is "other". */
    private static final Set<String> ROUTED_METHODS = Set.of("GET", "POST", "OPTIONS", "HEAD");

    private final Set<String> knownPaths;
    private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();
    /** One per routed path and "other", made up front: the page lists them all from the start. */
    private final Map<String, LatencyHistogram> durations = new TreeMap<>();

    RequestStats(Set<String> knownPaths) {
        this.knownPaths = knownPaths;
        for (String path : knownPaths) {
            durations.put(path, new LatencyHistogram());
        }
        durations.put("other", new LatencyHistogram());
    }

    /** One request, answered {@code status} after {@code nanos}. */
    void count(String path, String method, int status, long nanos) {
        boolean known = knownPaths.contains(path);
        String label = known ? path : "other";
        Key key = new Key(label, known && ROUTED_METHODS.contains(method) ? method : "other", status);
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        durations.get(label).record(nanos);
    }

    /** Request durations by path label. */
    Map<String, LatencyHistogram> durations() {
        return durations;
    }

    Map<Key, Long> snapshot() {
        Map<Key, Long> snapshot = new TreeMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
