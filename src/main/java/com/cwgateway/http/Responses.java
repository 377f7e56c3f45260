package com.cwgateway.http;

import com.cwgateway.ingest.Problem;
import com.cwgateway.ingest.Texts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes the gateway's JSON responses. */
final class Responses {

    private static final Logger LOG = Logger.getLogger(Responses.class.getName());
    private static final JsonFactory JSON = new JsonFactory();

    private Responses() {}

    static void json(HttpExchange exchange, int status, byte[] body) throws IOException {
        send(exchange, status, "application/json", body);
    }

    /** Answers with {@code body}; {@code HEAD} gets a GET's headers only (the JDK server warns of a HEAD body). */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        send(exchange, status, contentType, body, false);
    }

    /** With {@code discardBody}, the unread request body is discarded after the answer, before the exchange ends. */
    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean discardBody)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
            if (discardBody) {
                out.flush();
                discardRestOfBody(exchange);
            }
        }
    }

    static void empty(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /** Answers with the error as JSON, unless the response has started (then the connection just closes). */
    static void error(HttpExchange exchange, HttpError error) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            error.headers.forEach(exchange.getResponseHeaders()::set);
            if (!error.bodyRead) {
                // The unread rest of the body would be taken for the next request (the JDK server drains
                // only 64 KiB of it, then resets): say the connection ends here.
                exchange.getResponseHeaders().set("Connection", "close");
            }
            // Not for a 401: a client without a token gets no bandwidth of ours beyond what the JDK drains.
            send(exchange, error.status, "application/json", errorBody(error), !error.bodyRead && error.status != 401);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not send error response: " + e);
        }
    }

    /** At most this much of a body left unread is read and thrown away after an error answer... */
    static final long DISCARD_BYTES = 64L << 20;
    /** ...for at most this long; then the connection is closed. */
    static final Duration DISCARD_TIME = Duration.ofSeconds(5);

    /**
     * Throws away what the client is still sending: a socket closed with unread bytes is reset, and the reset can
     * overtake the answer to a client that writes its whole body before it reads (Python's urllib, some fetch).
     */
    private static void discardRestOfBody(HttpExchange exchange) {
        long deadline = System.nanoTime() + DISCARD_TIME.toNanos();
        byte[] scratch = new byte[16 * 1024];
        InputStream in = exchange.getRequestBody();
        try {
            long left = DISCARD_BYTES;
            int read = 0;
            while (left > 0 && read != -1 && System.nanoTime() < deadline) {
                read = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                left -= Math.max(read, 0);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "client went away while the rest of its body was discarded: " + e);
        }
    }

    /** {@code {"accepted":N}}: how many datums the request added to the buffer. */
    static byte[] accepted(int datums) {
        return ("{\"accepted\":" + datums + "}").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code {"error":"...","message":"...","problems":[{"path":"...","message":"..."}]}}. */
    static byte[] errorBody(HttpError error) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("error", error.error);
            json.writeStringField("message", Texts.wellFormed(error.getMessage()));
            if (!error.problems.isEmpty()) {
                json.writeArrayFieldStart("problems");
                for (Problem problem : error.problems) {
                    json.writeStartObject();
                    json.writeStringField("path", Texts.wellFormed(problem.path()));
                    json.writeStringField("message", Texts.wellFormed(problem.message()));
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
