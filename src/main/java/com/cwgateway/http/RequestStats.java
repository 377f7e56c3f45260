package com.cwgateway.http;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Requests counted by path, method and status, for {@code GET /metrics}. Unknown paths count as "other". */
final class RequestStats {

    /** A counter's labels. */
    record Key(String path, String method, int status) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            return (path + method + status).compareTo(other.path + other.method + other.status);
        }
    }

    private final Set<String> knownPaths;
    private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

    RequestStats(Set<String> knownPaths) {
        this.knownPaths = knownPaths;
    }

    void count(String path, String method, int status) {
        // Paths and methods come from clients: only known ones become labels, so the series stay few.
        boolean known = knownPaths.contains(path);
        Key key = new Key(known ? path : "other", known ? method : "other", status);
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    Map<Key, Long> snapshot() {
        Map<Key, Long> snapshot = new TreeMap<>();
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
