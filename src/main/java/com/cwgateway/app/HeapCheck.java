package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;

/**
 * Whether the buffer, full, fits the JVM's heap. The buffer is capped in points, and a point's cost is known
 * from measurement ({@code make bench}, 1M points held: 44 bytes aggregated; 112 bytes not, and 401 when no
 * name or value repeats, so that none is shared), so a
 * heap that cannot hold a full buffer is a mistake that can be named at start-up, before an outage fills the
 * buffer and the JVM runs out of memory with accepted data in it.
 */
final class HeapCheck {

    /** Measured bytes per buffered point in the worst case, rounded up. */
    static final long BYTES_PER_POINT_AGGREGATED = 64;
    static final long BYTES_PER_POINT_AS_RECEIVED = 450;
    /** The rest of the heap is for requests being read and parsed, and for the garbage collector's room. */
    static final double BUFFER_SHARE_OF_HEAP = 0.5;

    private HeapCheck() {}

    /** A warning naming the fix when a full buffer would take more than half of {@code maxHeapBytes}; else null. */
    static String warning(GatewayConfig config, long maxHeapBytes) {
        long perPoint = config.aggregation() ? BYTES_PER_POINT_AGGREGATED : BYTES_PER_POINT_AS_RECEIVED;
        long needed = config.maxBufferedPoints() * perPoint;
        if (needed <= maxHeapBytes * BUFFER_SHARE_OF_HEAP) {
            return null;
        }
        long fitting = (long) (maxHeapBytes * BUFFER_SHARE_OF_HEAP) / perPoint;
        return "a full buffer (MAX_BUFFERED_POINTS=" + config.maxBufferedPoints() + ", aggregation "
                + (config.aggregation() ? "on" : "off") + ", about " + perPoint + " bytes per point) needs about "
                + megabytes(needed) + " MB of heap, more than half of the JVM's maximum heap of "
                + megabytes(maxHeapBytes) + " MB: during a long CloudWatch outage the JVM could run out of memory. "
                + "Give the JVM more memory (-Xmx, or the container's memory limit with -XX:MaxRAMPercentage) or set "
                + "MAX_BUFFERED_POINTS=" + Math.max(1000, fitting) + " or less";
    }

    private static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
