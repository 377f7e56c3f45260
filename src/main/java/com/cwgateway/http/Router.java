package com.cwgateway.http;

import com.cwgateway.ingest.Texts;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes by exact path and method (the JDK server's contexts match by prefix). Unknown paths get 404, other
 * methods 405 with {@code Allow}, {@code OPTIONS} the CORS preflight answer, {@code HEAD} a {@code GET}'s answer
 * without its body. Every failure becomes a JSON error; nothing internal reaches a client.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    /** Headers a browser page may send: JSON, a gzip body, and a token. */
    private static final String ALLOWED_HEADERS = "Content-Type, Content-Encoding, Authorization";

    private final Map<String, Map<String, Handler>> routes = new LinkedHashMap<>();

    /** A route's work; it may refuse a request with an {@link HttpError}. */
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws HttpError, IOException;
    }

    Router route(String method, String path, Handler handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            dispatch(exchange);
        } catch (HttpError error) {
            Responses.error(exchange, error);
        } catch (IOException e) {
            // The client went away or sent a broken request; there is nobody to answer.
            LOG.log(Level.FINE, "request ended early: " + e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "unexpected error on " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getPath(), e);
            Responses.error(exchange, new HttpError(500, "InternalError", "the gateway failed to handle this request"));
        } finally {
            exchange.close();
        }
    }

    private void dispatch(HttpExchange exchange) throws HttpError, IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, Handler> methods = routes.get(path);
        if (methods == null) {
            throw new HttpError(404, "NotFound", "no such path: " + Texts.clip(path) + " (paths: " + routes.keySet() + ")");
        }
        String method = exchange.getRequestMethod();
        Handler handler = methods.get(method.equals("HEAD") ? "GET" : method);
        if (handler != null) {
            handler.handle(exchange);
            return;
        }
        String allow = allow(methods);
        if (method.equals("OPTIONS")) {
            var headers = exchange.getResponseHeaders();
            headers.set("Allow", allow);
            headers.set("Access-Control-Allow-Methods", allow);
            headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
            headers.set("Access-Control-Max-Age", "86400");
            Responses.empty(exchange, 204);
            return;
        }
        throw new HttpError(405, "MethodNotAllowed", method + " is not allowed on " + path + "; use " + allow,
                List.of(), Map.of("Allow", allow));
    }

    private static String allow(Map<String, Handler> methods) {
        TreeSet<String> allowed = new TreeSet<>(methods.keySet());
        allowed.add("OPTIONS");
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return String.join(", ", allowed);
    }

}
