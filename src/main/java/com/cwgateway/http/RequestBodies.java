package com.cwgateway.http;

import com.cwgateway.ingest.Texts;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads request bodies as JSON bytes: checks the media type, undoes {@code Content-Encoding: gzip}, and enforces
 * {@code MAX_BODY_BYTES} on the bytes received and again after gunzip (a small gzip body can expand a
 * thousandfold). Bodies are read whole before they are parsed, so all of them together may take at most
 * {@code MAX_BODY_MEMORY_BYTES} of heap (512 requests of 4 MiB would want 2 GiB): a body reserves its size
 * before it is read, and one past the budget gets 503 instead of running the JVM out of memory.
 */
final class RequestBodies {

    private final int maxBytes;
    private final long memoryBytes;
    private final AtomicLong reserved = new AtomicLong();

    RequestBodies(int maxBytes, long memoryBytes) {
        this.maxBytes = maxBytes;
        this.memoryBytes = memoryBytes;
    }

    /** A body read, the first {@code length} bytes of {@code bytes}, holding its memory until closed. */
    final class Body implements AutoCloseable {
        private final byte[] bytes;
        private final int length;
        private final long memory;
        private boolean closed;

        private Body(byte[] bytes, int length, long memory) {
            this.bytes = bytes;
            this.length = length;
            this.memory = memory;
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        /** Gives the body's memory back, once however often it is called. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                reserved.addAndGet(-memory);
            }
        }
    }

    /**
     * The body, read whole within its share of the memory: its Content-Length (MAX_BODY_BYTES for a chunked one),
     * reserved before reading, and more once a gzip body is unpacked.
     */
    Body read(HttpExchange exchange) throws HttpError, IOException {
        long declared = declaredLength(exchange.getRequestHeaders().getFirst("Content-Length"));
        long memory = declared < 0 ? maxBytes : Math.min(declared, maxBytes);
        if (!tryReserve(memory)) {
            throw memoryFull(); // unread: the connection is closed after the answer
        }
        Body body = null;
        try {
            Bytes json = readJson(exchange, declared);
            if (json.length() > memory) { // a gzip body, larger once unpacked
                if (!tryReserve(json.length() - memory)) {
                    throw memoryFull().afterBody();
                }
                memory = json.length();
            }
            body = new Body(json.array(), json.length(), memory);
            return body;
        } finally {
            if (body == null) { // whatever failed, an OutOfMemoryError included, the share goes back
                reserved.addAndGet(-memory);
            }
        }
    }

    private boolean tryReserve(long bytes) {
        long now;
        do {
            now = reserved.get();
            // One body alone is always admitted: MAX_BODY_BYTES already bounds it.
            if (now > 0 && now + bytes > memoryBytes) {
                return false;
            }
        } while (!reserved.compareAndSet(now, now + bytes));
        return true;
    }

    private HttpError memoryFull() {
        return new HttpError(503, "Busy", "the request bodies being handled fill the memory set aside for them ("
                + memoryBytes + " bytes, MAX_BODY_MEMORY_BYTES); nothing of this request was accepted: "
                + "retry in a moment", List.of(), Map.of("Retry-After", "1"));
    }

    /** The first {@code length} bytes of {@code array}. */
    private record Bytes(byte[] array, int length) {}

    private Bytes readJson(HttpExchange exchange, long declared) throws HttpError, IOException {
        checkContentType(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (declared > maxBytes) {
            throw tooLarge("");
        }
        InputStream raw = exchange.getRequestBody();
        Bytes body = switch (encoding(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            case "identity" -> declared >= 0 ? readDeclared(raw, (int) declared) : whole(readAtMost(raw, ""));
            case "gzip" -> whole(gunzip(raw));
            default -> throw new HttpError(415, "UnsupportedContentEncoding",
                    "Content-Encoding must be gzip or absent");
        };
        if (body.length() == 0) {
            throw new HttpError(400, "EmptyBody", "the request body is empty; send PutMetricData JSON");
        }
        return body;
    }

    private static Bytes readDeclared(InputStream raw, int declared) throws IOException {
        byte[] array = new byte[declared];
        return new Bytes(array, raw.readNBytes(array, 0, declared));
    }

    private static Bytes whole(byte[] bytes) {
        return new Bytes(bytes, bytes.length);
    }

    /** The Content-Length a client declared, or -1 (the server itself rejects a malformed one). */
    private static long declaredLength(String contentLength) {
        try {
            return contentLength == null ? -1 : Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void checkContentType(String contentType) throws HttpError {
        if (contentType == null) {
            return;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.equals("text/plain") && !mediaType.endsWith("+json")) {
            throw new HttpError(415, "UnsupportedMediaType",
                    "Content-Type must be application/json (or text/plain), not " + Texts.clip(mediaType));
        }
    }

    private static String encoding(String contentEncoding) {
        if (contentEncoding == null || contentEncoding.isBlank()) {
            return "identity";
        }
        String name = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return name.equals("x-gzip") ? "gzip" : name;
    }

    private byte[] gunzip(InputStream raw) throws HttpError, IOException {
        // The compressed bytes are bounded too: a body larger than the limit is refused either way.
        InputStream compressed = new ByteArrayInputStream(readAtMost(raw, ""));
        try (GZIPInputStream gzip = new GZIPInputStream(compressed)) {
            return readAtMost(gzip, " after gunzip");
        } catch (ZipException | EOFException e) {
            throw new HttpError(400, "InvalidGzip", "the body is not valid gzip data: " + e.getMessage());
        }
    }

    private byte[] readAtMost(InputStream in, String when) throws HttpError, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] chunk = new byte[8192];
        int total = 0;
        for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
            total += read;
            if (total > maxBytes) {
                throw tooLarge(when);
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }

    private HttpError tooLarge(String when) {
        return new HttpError(413, "PayloadTooLarge",
                "the request body is larger than " + maxBytes + " bytes" + when + " (MAX_BODY_BYTES)");
    }
}
