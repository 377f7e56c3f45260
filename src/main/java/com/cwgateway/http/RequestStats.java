package com.cwgateway.http;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests counted by path, method and status, for {@code GET /metrics}. Paths and methods come from clients, so
 * only fixed sets become labels: the routed paths and methods, everything else "other"; a client cannot grow the
 * page (200 made-up methods made 200 series once).
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

    RequestStats(Set<String> knownPaths) {
        this.knownPaths = knownPaths;
    }

    void count(String path, String method, int status) {
        boolean known = knownPaths.contains(path);
        Key key = new Key(known ? path : "other", known && ROUTED_METHODS.contains(method) ? method : "other", status);
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<Key, Long> snapshot() {
        Map<Key, Long> snapshot = new TreeMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
