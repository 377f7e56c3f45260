package com.cwgateway.http;

import com.cwgateway.ingest.Texts;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body as JSON bytes: checks the media type, undoes {@code Content-Encoding: gzip}, and
 * enforces the size limit on the bytes received and again on the bytes after gunzip (a small gzip body
 * can expand a thousandfold).
 */
final class RequestBodies {

    private RequestBodies() {}

    /** A body read: the first {@code length} bytes of {@code bytes}. */
    record Body(byte[] bytes, int length) {}

    /** The body, read whole. */
    static Body readJson(HttpExchange exchange, int maxBytes) throws HttpError, IOException {
        checkContentType(exchange.getRequestHeaders().getFirst("Content-Type"));
        long declared = declaredLength(exchange.getRequestHeaders().getFirst("Content-Length"));
        if (declared > maxBytes) {
            throw tooLarge(maxBytes, "");
        }
        InputStream raw = exchange.getRequestBody();
        Body body = switch (encoding(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            case "identity" -> declared >= 0 ? readDeclared(raw, (int) declared) : whole(readAtMost(raw, maxBytes, ""));
            case "gzip" -> whole(gunzip(raw, maxBytes));
            default -> throw new HttpError(415, "UnsupportedContentEncoding",
                    "Content-Encoding must be gzip or absent");
        };
        if (body.length() == 0) {
            throw new HttpError(400, "EmptyBody", "the request body is empty; send PutMetricData JSON");
        }
        return body;
    }

    private static Body readDeclared(InputStream raw, int declared) throws IOException {
        byte[] array = new byte[declared];
        return new Body(array, raw.readNBytes(array, 0, declared));
    }

    private static Body whole(byte[] bytes) {
        return new Body(bytes, bytes.length);
    }

    /** The bytes a body will take as its headers tell: its Content-Length, or MAX_BODY_BYTES (chunked). */
    static long expectedBytes(HttpExchange exchange, int maxBytes) {
        long declared = declaredLength(exchange.getRequestHeaders().getFirst("Content-Length"));
        return declared < 0 ? maxBytes : Math.min(declared, maxBytes);
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

    private static byte[] gunzip(InputStream raw, int maxBytes) throws HttpError, IOException {
        // The compressed bytes are bounded too: a body larger than the limit is refused either way.
        InputStream compressed = new ByteArrayInputStream(readAtMost(raw, maxBytes, ""));
        try (GZIPInputStream gzip = new GZIPInputStream(compressed)) {
            return readAtMost(gzip, maxBytes, " after gunzip");
        } catch (ZipException | EOFException e) {
            throw new HttpError(400, "InvalidGzip", "the body is not valid gzip data: " + e.getMessage());
        }
    }

    private static byte[] readAtMost(InputStream in, int maxBytes, String when) throws HttpError, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] chunk = new byte[8192];
        int total = 0;
        for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
            total += read;
            if (total > maxBytes) {
                throw tooLarge(maxBytes, when);
            }
            out.write(chunk, 0, read);
        }
        return out.toByteArray();
    }

    private static HttpError tooLarge(int maxBytes, String when) {
        return new HttpError(413, "PayloadTooLarge",
                "the request body is larger than " + maxBytes + " bytes" + when + " (MAX_BODY_BYTES)");
    }
}
