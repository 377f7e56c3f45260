package com.cwgateway.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The filters every exchange passes: the access log line (at FINE) and the CORS origin header. */
final class Filters {

    private static final Logger ACCESS = Logger.getLogger("com.cwgateway.http.access");

    private Filters() {}

    /** One line per request at FINE ({@code DEBUG=true}): method, path, status, time taken. */
    static Filter accessLog() {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                if (!ACCESS.isLoggable(Level.FINE)) {
                    chain.doFilter(exchange);
                    return;
                }
                long started = System.nanoTime();
                try {
                    chain.doFilter(exchange);
                } finally {
                    ACCESS.fine(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
                            + exchange.getResponseCode() + " " + (System.nanoTime() - started) / 1000 + " us from "
                            + exchange.getRemoteAddress().getAddress().getHostAddress());
                }
            }

            @Override
            public String description() {
                return "access log";
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
