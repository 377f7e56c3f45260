package com.cwgateway.ingest;

import com.cwgateway.metric.PutMetricDataInput;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which namespaces clients may write ({@code ALLOWED_NAMESPACES}): exact names and {@code Prefix/*}
 * patterns, which allow every namespace under {@code Prefix/}. Empty allows all.
 */
public final class NamespacePolicy {

    private final List<String> patterns;
    private final Set<String> exact;
    private final List<String> prefixes;

    public NamespacePolicy(List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        this.exact = patterns.stream().filter(pattern -> !pattern.endsWith("/*")).collect(Collectors.toSet());
        this.prefixes = patterns.stream().filter(pattern -> pattern.endsWith("/*"))
                .map(pattern -> pattern.substring(0, pattern.length() - 1)).toList();
    }

    /** The namespaces of {@code inputs} that are not allowed, in order; empty when all are. */
    public Set<String> refused(List<PutMetricDataInput> inputs) {
        Set<String> refused = new TreeSet<>();
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
        return patterns.isEmpty() || exact.contains(namespace) || prefixes.stream().anyMatch(namespace::startsWith);
    }
}
