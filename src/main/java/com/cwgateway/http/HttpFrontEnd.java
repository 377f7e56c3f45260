package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.publish.DeliveryStats;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The gateway's HTTP side: the JDK's HttpServer on virtual threads (a slow client holds a cheap virtual
 * thread, not a pool slot), its endpoints, and an orderly stop.
 */
public final class HttpFrontEnd {

    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final InFlight inFlight = new InFlight();

    private HttpFrontEnd(HttpServer server) {
        this.server = server;
    }

    /** Binds and starts serving; throws when the address cannot be bound (e.g. the port is taken). */
    public static HttpFrontEnd start(GatewayConfig config, PutMetricDataReader reader, MetricBuffer buffer,
                                     DeliveryStats stats) throws IOException {
        ServerTuning.apply(config);
        HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()),
                config.httpBacklog());
        HttpFrontEnd frontEnd = new HttpFrontEnd(server);
        Router router = new Router()
                .route("POST", "/metrics",
                        new IngestHandler(IngestHandler.Shape.SINGLE, reader, buffer, stats, config.maxBodyBytes(),
                                config.flushInterval()))
                .route("POST", "/batch",
                        new IngestHandler(IngestHandler.Shape.BATCH, reader, buffer, stats, config.maxBodyBytes(),
                                config.flushInterval()))
                .route("GET", "/healthcheck", exchange -> Responses.json(exchange, 200, HEALTHY));
        HttpContext context = server.createContext("/", router);
        context.getFilters().addAll(List.of(Filters.accessLog(), frontEnd.inFlight, Filters.cors(config.corsOrigin())));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return frontEnd;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Stops taking connections, answers requests that still arrive on open connections with 503, and waits
     * up to {@code drain} for requests in progress to finish. The JDK's own {@code stop} closes the listener
     * at once but then waits out its whole delay while idle keep-alive connections stay open, so it runs on
     * a side thread and the requests in progress are counted here instead.
     */
    public void stop(Duration drain) {
        inFlight.draining = true;
        int seconds = (int) Math.max(1, drain.toSeconds());
        Thread.ofPlatform().daemon().name("http-stop").start(() -> server.stop(seconds));
        inFlight.awaitNone(System.nanoTime() + drain.toNanos());
    }

    /** Counts requests in progress, and turns new ones away once the server is draining. */
    private static final class InFlight extends Filter {

        private volatile boolean draining;
        private int count;

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            if (draining) {
                exchange.getResponseHeaders().set("Connection", "close");
                Responses.json(exchange, 503, Responses.error(new HttpError(503, "ShuttingDown",
                        "the gateway is shutting down; retry against another instance or after restart")));
                return;
            }
            synchronized (this) {
                count++;
            }
            try {
                chain.doFilter(exchange);
            } finally {
                synchronized (this) {
                    if (--count == 0) {
                        notifyAll();
                    }
                }
            }
        }

        synchronized void awaitNone(long deadlineNanos) {
            long left;
            while (count > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public String description() {
            return "requests in progress";
        }
    }
}
