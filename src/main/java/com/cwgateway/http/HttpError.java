package com.cwgateway.http;

import com.cwgateway.ingest.Problem;
import java.util.List;
import java.util.Map;

/**
 * A request answered with an error: the status, a stable {@code error} code for clients, a message for people,
 * the problems by field path (validation) and any headers the status calls for ({@code Allow} with 405).
 */
final class HttpError extends Exception {

    final int status;
    final String error;
    final List<Problem> problems;
    final Map<String, String> headers;
    /** Whether the request body was read to its end; if not, the connection is closed after the answer. */
    final boolean bodyRead;

    HttpError(int status, String error, String message) {
        this(status, error, message, List.of(), Map.of());
    }

    HttpError(int status, String error, String message, List<Problem> problems, Map<String, String> headers) {
        this(status, error, message, problems, headers, false);
    }

    HttpError(int status, String error, String message, List<Problem> problems, Map<String, String> headers,
              boolean bodyRead) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
        this.problems = problems;
        this.headers = headers;
        this.bodyRead = bodyRead;
    }

    /** The same error, for a request whose body was read whole: its connection may be kept alive. */
    HttpError afterBody() {
        return new HttpError(status, error, getMessage(), problems, headers, true);
    }
}
