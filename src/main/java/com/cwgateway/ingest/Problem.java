package com.cwgateway.ingest;

/**
 * One reason a request is rejected: where in the body (e.g. {@code [1].MetricData[3].Value}) and which rule.
 * The path of the whole body is {@link #BODY}.
 */
public record Problem(String path, String message) {

    public static final String BODY = "(body)";

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
