package com.cwgateway.testsupport;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request that reached {@link CloudWatchStandIn}, with the answer it was given.
 *
 * @param namespace  the request's {@code Namespace}, or null if the body could not be decoded
 * @param datums     the request's {@code MetricData}, decoded
 * @param bodyBytes  size of the CBOR body after gunzip
 * @param wireBytes  size of the body as received (smaller than bodyBytes when gzipped)
 * @param gzipped    whether the body came with {@code Content-Encoding: gzip}
 * @param headers    request headers, names in lower case
 * @param decoded    whether the body was valid CBOR (the decoded tree is not kept: a soak records millions of datums)
 * @param answer     what the stand-in answered (possibly a delayed answer the client never saw)
 * @param operation  last path segment, {@code PutMetricData} for the SDK's call
 * @param overLimit  which of CloudWatch's request limits the call passes, in CloudWatch's words; null if none
 */
public record RecordedCall(String namespace, List<RecordedDatum> datums, int bodyBytes, int wireBytes,
                           boolean gzipped, Map<String, String> headers, boolean decoded, StandInResponse answer,
                           String operation, String overLimit) {

    /** True if the answer was (or, after a delay, will be) a success. */
    public boolean accepted() {
        return answer != null && answer.isOk();
    }

    /** The SDK's attempt number for this call, from {@code amz-sdk-request: attempt=2; max=3}; 0 if absent. */
    public int attempt() {
        String value = headers.getOrDefault("amz-sdk-request", "");
        for (String part : value.split(";")) {
            String p = part.trim();
            if (p.startsWith("attempt=")) {
                return Integer.parseInt(p.substring("attempt=".length()));
            }
        }
        return 0;
    }

    RecordedCall withAnswer(StandInResponse newAnswer) {
        return new RecordedCall(namespace, datums, bodyBytes, wireBytes, gzipped, headers, decoded, newAnswer,
                operation, overLimit);
    }
}
