package com.cwgateway.http;

import com.cwgateway.config.GatewayConfig;

/**
 * The JDK HttpServer reads its tuning from {@code sun.net.httpserver.*} system properties once, when its first
 * server starts: set here from our settings unless given with -D. Fewer idle keep-alive connections than clients
 * cost throughput; request and response times are unlimited by default and, despite the javadoc, in seconds
 * (JDK-8387598).
 */
final class ServerTuning {

    private ServerTuning() {}

    static void apply(GatewayConfig config) {
        setUnlessGiven("sun.net.httpserver.maxIdleConnections", config.httpMaxIdleConnections());
        setUnlessGiven("sun.net.httpserver.maxReqTime", config.httpRequestTimeoutSeconds());
        setUnlessGiven("sun.net.httpserver.maxRspTime", config.httpResponseTimeoutSeconds());
        // Responses are small and written whole: Nagle's algorithm would only add delay.
        setUnlessGiven("sun.net.httpserver.nodelay", true);
    }

    private static void setUnlessGiven(String property, Object value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, String.valueOf(value));
        }
    }
}
