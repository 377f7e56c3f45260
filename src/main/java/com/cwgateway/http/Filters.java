package com.cwgateway.http;

import com.cwgateway.ingest.Texts;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The filters every exchange passes: request counts with the access log line (at FINE), and CORS. */
final class Filters {

    private static final Logger ACCESS = Logger.getLogger("com.cwgateway.http.access");

    private Filters() {}

    /** Counts and times every request for {@code GET /metrics}; logs a line for it at FINE (debug). */
    static Filter accessLog(RequestStats requests) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                long started = System.nanoTime();
                try {
                    chain.doFilter(exchange);
                } finally {
                    long nanos = System.nanoTime() - started;
                    String path = exchange.getRequestURI().getPath();
                    requests.count(path, exchange.getRequestMethod(), exchange.getResponseCode(), nanos);
                    if (ACCESS.isLoggable(Level.FINE)) {
                        ACCESS.fine(exchange.getRequestMethod() + " " + Texts.clip(path) + " "
                                + exchange.getResponseCode() + " " + nanos / 1000 + " us from "
                                + exchange.getRemoteAddress().getAddress().getHostAddress());
                    }
                }
            }

            @Override
            public String description() {
                return "access log and request counts";
            }
        };
    }

    /**
     * Refuses a request whose client certificate the CAs in force do not trust (its session predates a CA's
     * removal) and closes the connection, so the client's next try makes a full handshake.
     */
    static Filter clientCertificates(TlsContext tls) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (!(exchange instanceof HttpsExchange https) || tls.trusts(https.getSSLSession())) {
                    chain.doFilter(exchange);
                    return;
                }
                try (exchange) {
                    Responses.error(exchange, new HttpError(403, "ClientCertificateNotTrusted", "this client's "
                            + "certificate is not signed by a CA the gateway trusts now (TLS_CLIENT_CA_FILE)"));
                }
            }

            @Override
            public String description() {
                return "client certificates against the CAs in force";
            }
        };
    }

    /** Lets browser pages from {@code origin} read every response (and so post metrics). */
    static Filter cors(String origin) {
        return Filter.beforeHandler("CORS", exchange -> {
            exchange.getResponseHeaders().set("Access-Control-Allow-Origin", origin);
            if (!origin.equals("*")) {
                exchange.getResponseHeaders().set("Vary", "Origin");
            }
        });
    }
}
