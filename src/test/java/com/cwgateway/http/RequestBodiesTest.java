package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Reading bodies on its own: the size limit before and after gunzip, the media type and encoding, and the
 * memory budget, which every body gives back whatever became of it (read, refused, or failed half-way).
 */
class RequestBodiesTest {

    private static final byte[] JSON = "{\"Namespace\":\"App\",\"MetricData\":[]}".getBytes(StandardCharsets.UTF_8);

    /** A request as the JDK server hands it over: headers and a body stream, nothing else used. */
    private static final class Request extends HttpExchange {
        private final Headers headers = new Headers();
        private final InputStream body;

        Request(byte[] body, boolean declareLength) {
            this.body = new ByteArrayInputStream(body);
            headers.set("Content-Type", "application/json");
            if (declareLength) {
                headers.set("Content-Length", Integer.toString(body.length));
            }
        }

        Request with(String header, String value) {
            headers.set(header, value);
            return this;
        }

        @Override public Headers getRequestHeaders() { return headers; }
        @Override public InputStream getRequestBody() { return body; }
        @Override public Headers getResponseHeaders() { return new Headers(); }
        @Override public URI getRequestURI() { return URI.create("/metrics"); }
        @Override public String getRequestMethod() { return "POST"; }
        @Override public HttpContext getHttpContext() { return null; }
        @Override public void close() { }
        @Override public OutputStream getResponseBody() { return OutputStream.nullOutputStream(); }
        @Override public void sendResponseHeaders(int code, long length) { }
        @Override public InetSocketAddress getRemoteAddress() { return null; }
        @Override public int getResponseCode() { return -1; }
        @Override public InetSocketAddress getLocalAddress() { return null; }
        @Override public String getProtocol() { return "HTTP/1.1"; }
        @Override public Object getAttribute(String name) { return null; }
        @Override public void setAttribute(String name, Object value) { }
        @Override public void setStreams(InputStream in, OutputStream out) { }
        @Override public HttpPrincipal getPrincipal() { return null; }
    }

    private static byte[] gzip(byte[] bytes) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static int status(RequestBodies bodies, Request request) {
        return assertThrows(HttpError.class, () -> bodies.read(request)).status;
    }

    @Test
    void aBodyIsReadWholeWithOrWithoutItsLengthAndUnzipped() throws Exception {
        RequestBodies bodies = new RequestBodies(1024, 1 << 20);
        for (Request request : new Request[] {new Request(JSON, true), new Request(JSON, false),
                new Request(gzip(JSON), true).with("Content-Encoding", "gzip")}) {
            try (RequestBodies.Body body = bodies.read(request)) {
                assertArrayEquals(JSON, Arrays.copyOf(body.bytes(), body.length()));
            }
        }
    }

    @Test
    void eachRuleOfTheBodyHasItsOwnAnswer() throws Exception {
        RequestBodies bodies = new RequestBodies(64, 1 << 20);
        byte[] large = new byte[65];
        Arrays.fill(large, (byte) ' ');

        assertEquals(413, status(bodies, new Request(large, true)), "declared too large");
        assertEquals(413, status(bodies, new Request(large, false)), "chunked, too large once read");
        assertEquals(413, status(bodies, new Request(gzip(large), true).with("Content-Encoding", "gzip")),
                "too large after gunzip");
        assertEquals(400, status(bodies, new Request(JSON, true).with("Content-Encoding", "gzip")), "not gzip");
        assertEquals(415, status(bodies, new Request(JSON, true).with("Content-Encoding", "br")));
        assertEquals(415, status(bodies, new Request(JSON, true).with("Content-Type", "application/xml")));
        assertEquals(400, status(bodies, new Request(new byte[0], true)), "empty");
    }

    @Test
    void pastTheMemoryBudgetABodyIsRefusedUnreadAndOneAloneAlwaysFits() throws Exception {
        RequestBodies bodies = new RequestBodies(1024, JSON.length + 10);
        try (RequestBodies.Body first = bodies.read(new Request(JSON, true))) {
            HttpError busy = assertThrows(HttpError.class, () -> bodies.read(new Request(JSON, true)));
            assertEquals(503, busy.status);
            assertEquals("1", busy.headers.get("Retry-After"));
            assertEquals(false, busy.bodyRead, "refused before its body was read");
        }
        RequestBodies tiny = new RequestBodies(1024, 1);
        try (RequestBodies.Body alone = tiny.read(new Request(JSON, true))) {
            assertEquals(JSON.length, alone.length(), "a body alone is bounded by MAX_BODY_BYTES, not the budget");
        }
    }

    @Test
    void everyBodyGivesItsMemoryBackWhateverBecameOfIt() throws Exception {
        RequestBodies bodies = new RequestBodies(1024, 2L * JSON.length);
        try (RequestBodies.Body held = bodies.read(new Request(JSON, true))) {
            for (int i = 0; i < 5; i++) { // each would need the budget's second half: only if the last gave it back
                try (RequestBodies.Body body = bodies.read(new Request(JSON, true))) {
                    assertEquals(JSON.length, body.length());
                }
                assertEquals(415, status(bodies, new Request(JSON, true).with("Content-Type", "text/xml")));
                assertEquals(400, status(bodies, new Request(JSON, true).with("Content-Encoding", "gzip")));
                assertEquals(400, status(bodies, new Request(new byte[0], true)));
            }
            byte[] unpacksLarger = new byte[3 * JSON.length];
            Arrays.fill(unpacksLarger, (byte) ' ');
            HttpError busy = assertThrows(HttpError.class, () -> bodies.read(
                    new Request(gzip(unpacksLarger), true).with("Content-Encoding", "gzip")));
            assertEquals(503, busy.status, "a gzip body that unpacks past the budget");
            assertEquals(true, busy.bodyRead);
        }
        try (RequestBodies.Body first = bodies.read(new Request(JSON, true));
             RequestBodies.Body second = bodies.read(new Request(JSON, true))) {
            assertEquals(2 * JSON.length, first.length() + second.length(), "the whole budget is free again");
        }
    }

    @Test
    void aBodyClosedTwiceGivesItsMemoryBackOnce() throws Exception {
        RequestBodies bodies = new RequestBodies(1024, 2L * JSON.length);
        RequestBodies.Body once = bodies.read(new Request(JSON, true));
        once.close();
        once.close();
        try (RequestBodies.Body first = bodies.read(new Request(JSON, true));
             RequestBodies.Body second = bodies.read(new Request(JSON, true))) {
            assertEquals(503, status(bodies, new Request(JSON, true)), "the budget holds two bodies, not three");
        }
    }
}
