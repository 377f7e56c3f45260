package com.cwgateway.http;

import com.cwgateway.config.GatewayConfig;

/**
 * The JDK HttpServer reads its tuning from {@code sun.net.httpserver.*} system properties, once, when its
 * first server starts; they are set here from our settings unless given on the command line with -D.
 * Measured on 2 cores: with fewer idle keep-alive connections allowed than there are clients, throughput
 * drops by about a fifth and p99 jumps; request and response times are unlimited by default (a client that
 * sends half a request holds its connection forever) and, despite the javadoc, are read in seconds
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
