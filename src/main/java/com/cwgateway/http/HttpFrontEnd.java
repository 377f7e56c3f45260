package com.cwgateway.http;

import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.config.GatewayConfig;
import com.cwgateway.ingest.IngestService;
import com.cwgateway.publish.DeliveryStats;
import com.cwgateway.publish.Spool;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The gateway's HTTP side: the JDK's HttpServer on virtual threads (a slow client holds a cheap virtual
 * thread, not a pool slot), its endpoints, its guards, and an orderly stop.
 */
public final class HttpFrontEnd {

    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READY = "{\"status\":\"ready\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DRAINING = "{\"status\":\"draining\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FULL = "{\"status\":\"buffer full\"}".getBytes(StandardCharsets.US_ASCII);

    /** {@code /ready} answers 503 past this share of the buffer, so clients move before they get BufferFull. */
    private static final double FULL_SHARE = 0.9;

    private final HttpServer server;
    /** The server on ADMIN_PORT, or null. */
    private final HttpServer admin;
    private final InFlight inFlight;
    /** Null when auth is off. */
    private final TokenStore tokens;
    /** Null without TLS. */
    private final TlsContext tls;

    private HttpFrontEnd(HttpServer server, HttpServer admin, InFlight inFlight, TokenStore tokens,
                         TlsContext tls) {
        this.server = server;
        this.admin = admin;
        this.inFlight = inFlight;
        this.tokens = tokens;
        this.tls = tls;
    }

    /**
     * Binds and starts serving, with the probes and the scrape on {@code ADMIN_PORT} (without a token) when it is
     * set. Throws, having closed what it opened, when an address cannot be bound, naming it, or
     * {@link SetupException} when the token or TLS files cannot be used.
     */
    public static HttpFrontEnd start(GatewayConfig config, IngestService ingest, MetricBuffer buffer,
                                     DeliveryStats stats, Spool spool, String version) throws IOException {
        ServerTuning.apply(config);
        TokenStore tokens = null;
        TlsContext tls = null;
        HttpServer server = null;
        HttpServer admin = null;
        try {
            if (config.authOn()) {
                try {
                    tokens = new TokenStore(config.authTokens(), config.authTokensFile());
                } catch (IOException | IllegalArgumentException e) {
                    throw new SetupException("AUTH_TOKENS_FILE " + config.authTokensFile() + ": " + e.getMessage());
                }
            }
            if (config.tls()) {
                try {
                    tls = new TlsContext(config.tlsCertFile(), config.tlsKeyFile(), config.tlsClientCaFile());
                } catch (TlsPair.Unusable e) {
                    throw new SetupException(e.getMessage());
                }
            }
            server = bind(config.host(), config.port(), "PORT", config, tls);
            admin = config.adminPort() < 0 ? null : bind(config.host(), config.adminPort(), "ADMIN_PORT", config, null);
        } catch (IOException | RuntimeException e) {
            if (server != null) {
                server.stop(0); // bound, not started
            }
            stopWatching(tokens, tls);
            throw e;
        }
        InFlight inFlight = new InFlight(config.maxConcurrentRequests());
        RequestBodies bodies = new RequestBodies(config.maxBodyBytes(), config.maxBodyMemoryBytes());
        RequestStats requests = new RequestStats(Set.of("/metrics", "/batch", "/healthcheck", "/ready"));
        Router router = new Router()
                .route("POST", "/metrics", new IngestHandler(IngestService.Shape.SINGLE, ingest, bodies,
                        config.flushInterval()))
                .route("POST", "/batch", new IngestHandler(IngestService.Shape.BATCH, ingest, bodies,
                        config.flushInterval()));
        Router probes = admin == null ? router : new Router();
        probes.route("GET", "/metrics", new SelfMetrics(requests, stats, buffer, spool, version))
                .route("GET", "/healthcheck", exchange -> Responses.json(exchange, 200, HEALTHY))
                .route("GET", "/ready", exchange -> {
                    if (inFlight.draining || inFlight.notReady) {
                        Responses.json(exchange, 503, DRAINING);
                    } else if (buffer.bytes() >= FULL_SHARE * buffer.maxBytes()) {
                        Responses.json(exchange, 503, FULL);
                    } else {
                        Responses.json(exchange, 200, READY);
                    }
                });
        List<Filter> filters = server.createContext("/", router).getFilters();
        filters.addAll(List.of(Filters.accessLog(requests), inFlight, Filters.cors(config.corsOrigin())));
        if (tls != null && tls.clientCertificates()) {
            filters.add(Filters.clientCertificates(tls));
        }
        if (tokens != null) {
            filters.add(new BearerAuth(tokens));
        }
        if (admin != null) {
            admin.createContext("/", probes).getFilters().add(Filters.accessLog(requests));
            admin.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            admin.start();
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new HttpFrontEnd(server, admin, inFlight, tokens, tls);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Token or TLS files that cannot be used at start: the gateway exits 2 with the reason and the fix. */
    public static final class SetupException extends RuntimeException {
        SetupException(String message) {
            super(message, null, false, false);
        }
    }

    /** A server bound to {@code host:port} (HTTPS with {@code tls}); the message of a failure names both. */
    private static HttpServer bind(String host, int port, String setting, GatewayConfig config, TlsContext tls)
            throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        try {
            if (tls == null) {
                return HttpServer.create(address, config.httpBacklog());
            }
            HttpsServer https = HttpsServer.create(address, config.httpBacklog());
            https.setHttpsConfigurator(tls.configurator());
            return https;
        } catch (IOException e) {
            throw new IOException("on " + host + ":" + port + " (" + setting + "): " + e.getMessage(), e);
        }
    }

    /** Stops watching the token and TLS files (either may be null). */
    private static void stopWatching(TokenStore tokens, TlsContext tls) {
        if (tokens != null) {
            tokens.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    /** Where the probes and the scrape are served apart ({@code ADMIN_PORT}), or null. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.getAddress();
    }

    /** From now on {@code /ready} answers 503 draining, while requests are still taken. */
    public void notReady() {
        inFlight.notReady = true;
    }

    /**
     * Stops taking connections, answers requests that still arrive on open ones with 503, and waits up to
     * {@code drain} for requests in progress. The JDK's {@code stop} waits out its whole delay while idle
     * keep-alive connections stay open, so it runs on a side thread and requests are counted here instead.
     */
    public void stop(Duration drain) {
        inFlight.draining = true;
        stopWatching(tokens, tls);
        int seconds = (int) Math.max(1, drain.toSeconds());
        Thread.ofPlatform().daemon().name("http-stop").start(() -> server.stop(seconds));
        inFlight.awaitNone(System.nanoTime() + drain.toNanos());
        if (admin != null) {
            admin.stop(0); // the probes answered through the drain ("/ready": draining); the process ends next
        }
    }

    /**
     * Counts requests in progress: turns new ones away while draining and past {@code MAX_CONCURRENT_REQUESTS}.
     * The probes and the scrape ({@code GET} or {@code HEAD} on {@link #PROBES}) hold no body and are let through,
     * so a flood of slow uploaders cannot make a healthy gateway look dead or hide its metrics.
     */
    private static final class InFlight extends Filter {

        private static final Set<String> PROBES = Set.of("/healthcheck", "/ready", "/metrics");

        private final int max;
        private volatile boolean draining;
        /** Shutdown has begun and requests are still taken ({@code SHUTDOWN_DELAY_MS}): {@code /ready} says 503. */
        private volatile boolean notReady;
        private int count;

        InFlight(int max) {
            this.max = max;
        }

        @Override
        public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
            String method = exchange.getRequestMethod();
            boolean probe = (method.equals("GET") || method.equals("HEAD"))
                    && PROBES.contains(exchange.getRequestURI().getPath());
            if (probe) {
                chain.doFilter(exchange);
                return;
            }
            if (draining) {
                exchange.getResponseHeaders().set("Connection", "close");
                refuse(exchange, new HttpError(503, "ShuttingDown",
                        "the gateway is shutting down; retry against another instance or after restart"));
                return;
            }
            boolean admitted;
            synchronized (this) {
                admitted = count < max;
                if (admitted) {
                    count++;
                }
            }
            if (!admitted) {
                refuse(exchange, new HttpError(503, "Busy", "the gateway is handling MAX_CONCURRENT_REQUESTS (" + max
                        + ") requests; retry in a moment", List.of(), Map.of("Retry-After", "1")));
                return;
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

        private static void refuse(HttpExchange exchange, HttpError error) {
            try (exchange) {
                Responses.error(exchange, error);
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
