package com.cwgateway.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The HTTP ceiling for {@code make bench}: the JDK HttpServer set up as the gateway sets it up (virtual thread per
 * request, backlog 1024, the same {@code sun.net.httpserver.*} tuning as the gateway's ServerTuning), reading each
 * request body fully into one array, as the gateway does before parsing, and answering {@code 202 {"accepted":1}}
 * without looking at it. Whatever the gateway does on top of this (routing, filters, parsing, validation,
 * buffering) shows as the distance to this figure.
 *
 * <p>Run: {@code java -XX:+UseSerialGC -XX:MaxRAMPercentage=60 -Xmn96m -XX:SurvivorRatio=3 -cp target/test-classes com.cwgateway.bench.BareServer}
 * (127.0.0.1, a free port, printed as {@code listening on ...}).
 */
public final class BareServer {

    private static final byte[] ACCEPTED = "{\"accepted\":1}".getBytes(StandardCharsets.US_ASCII);

    private BareServer() {}

    public static void main(String[] args) throws IOException {
        // The gateway's defaults (ServerTuning): keep-alive for every wrk connection, no Nagle delay, and the
        // request/response time limits. Set before the first server is created: the JDK reads them once.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "1000");
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.setProperty("sun.net.httpserver.maxReqTime", "10");
        System.setProperty("sun.net.httpserver.maxRspTime", "10");
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, ACCEPTED.length);
                exchange.getResponseBody().write(ACCEPTED);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("BareServer listening on 127.0.0.1:" + server.getAddress().getPort());
        System.out.flush();
    }
}
