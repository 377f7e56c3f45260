package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;

/**
 * Whether the buffer's budget leaves the JVM room: a {@code MAX_BUFFER_BYTES} above half of the heap is named at
 * start-up, before an outage fills the buffer and the JVM runs out of memory with accepted data in it.
 */
final class HeapCheck {

    private HeapCheck() {}

    /** A warning naming the fix when the buffer may take more than half of {@code maxHeapBytes}; else null. */
    static String warning(GatewayConfig config, long maxHeapBytes) {
        if (config.maxBufferBytes() <= maxHeapBytes / 2) {
            return null;
        }
        return "MAX_BUFFER_BYTES=" + config.maxBufferBytes() + " is more than half of the JVM's maximum heap of "
                + megabytes(maxHeapBytes) + " MB: during a long CloudWatch outage the JVM could run out of memory. "
                + "Give the JVM more memory (-Xmx, or the container's memory limit with -XX:MaxRAMPercentage) or "
                + "leave MAX_BUFFER_BYTES unset (a third of the heap)";
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
