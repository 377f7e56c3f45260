package com.cwgateway.ingest;

import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which namespaces clients may write ({@code ALLOWED_NAMESPACES}): exact names and {@code Prefix/*}
 * patterns, which allow every namespace under {@code Prefix/}. Empty allows all.
 */
public final class NamespacePolicy {

    private final List<String> patterns;
    private final Set<String> exact;
    private final List<String> prefixes = new ArrayList<>();

    public NamespacePolicy(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        Set<String> names = new java.util.HashSet<>();
        for (String pattern : patterns) {
            if (pattern.endsWith("/*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                names.add(pattern);
            }
        }
        this.exact = Set.copyOf(names);
    }

    /** The namespaces of {@code inputs} that are not allowed, in order; empty when all are. */
    public Set<String> refused(List<PutMetricDataInput> inputs) {
        Set<String> refused = new TreeSet<>();
        if (exact.isEmpty() && prefixes.isEmpty()) {
            return refused;
        }
        for (PutMetricDataInput input : inputs) {
            if (!allows(input.namespace())) {
                refused.add(input.namespace());
            }
        }
        return refused;
    }

    /** The patterns as written (for messages). */
    public List<String> patterns() {
        return patterns;
    }

    private boolean allows(String namespace) {
        if (exact.contains(namespace)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (namespace.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
