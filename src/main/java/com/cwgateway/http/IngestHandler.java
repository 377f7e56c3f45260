package com.cwgateway.http;

import com.cwgateway.ingest.IngestService.Outcome;
import com.cwgateway.ingest.IngestService;
import com.cwgateway.ingest.Intake;
import com.cwgateway.ingest.InvalidInputException;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /metrics} (one PutMetricData input) and {@code POST /batch} (an array of them): reads the body
 * ({@link RequestBodies}), ingests it, and answers 202 or an error naming why nothing of it was accepted.
 */
final class IngestHandler implements Router.Handler {

    private final IngestService.Shape shape;
    private final IngestService ingest;
    private final RequestBodies bodies;
    /** When a full buffer or the series cap may let the request in: after the next flush. */
    private final String retryAfterSeconds;

    IngestHandler(IngestService.Shape shape, IngestService ingest, RequestBodies bodies, Duration flushInterval) {
        this.shape = shape;
        this.ingest = ingest;
        this.bodies = bodies;
        this.retryAfterSeconds = String.valueOf(Math.max(1, (flushInterval.toMillis() + 999) / 1000));
    }

    @Override
    public void handle(HttpExchange exchange) throws HttpError, IOException {
        try (RequestBodies.Body body = bodies.read(exchange)) {
            Outcome outcome = ingest.ingest(body.bytes(), body.length(), shape, BearerAuth.scopeOfThisRequest());
            if (outcome instanceof Outcome.Accepted accepted) {
                Responses.json(exchange, 202, Responses.accepted(accepted.datums()));
            } else {
                throw refusal(outcome).afterBody();
            }
        }
    }

    private HttpError refusal(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Invalid invalid -> {
                InvalidInputException problem = invalid.problem();
                yield new HttpError(400, problem.error(), problem.getMessage(), problem.problems(), Map.of());
            }
            case Outcome.NamespacesRefused refused when refused.tokenScope() == null -> new HttpError(403,
                    "NamespaceNotAllowed", "this gateway does not accept the namespaces "
                    + String.join(", ", refused.namespaces()) + " (ALLOWED_NAMESPACES)");
            case Outcome.NamespacesRefused refused -> new HttpError(403, "NamespaceNotAllowed",
                    "this token may not write the namespaces " + String.join(", ", refused.namespaces())
                    + "; it may write " + String.join(", ", refused.tokenScope().patterns()) + " (AUTH_TOKENS_FILE)");
            case Outcome.Refused refused -> intakeRefusal(refused.why());
            case Outcome.Accepted accepted -> throw new IllegalArgumentException("accepted is no refusal");
        };
    }

    private HttpError intakeRefusal(Intake.Outcome why) {
        Map<String, String> retryAfter = Map.of("Retry-After", retryAfterSeconds);
        return switch (why) {
            case TOO_MANY_SERIES -> new HttpError(429, "TooManySeries", "this request would take the gateway past "
                    + ingest.maxSeries() + " distinct series in one flush interval (MAX_SERIES), a guard against "
                    + "runaway CloudWatch costs: use fewer distinct dimension values, or retry after "
                    + retryAfterSeconds + " s", List.of(), retryAfter);
            case BUFFER_FULL -> new HttpError(503, "BufferFull", "the gateway holds as much data as "
                    + "MAX_BUFFER_BYTES allows (CloudWatch is slow or unreachable); nothing of this request was "
                    + "accepted: retry after " + retryAfterSeconds + " s", List.of(), retryAfter);
            case SPOOL_FAILED -> new HttpError(503, "SpoolUnavailable", "the gateway cannot write to its spool "
                    + "(its disk may be full), and accepts only what it has on disk; nothing of this request was "
                    + "accepted: retry after " + retryAfterSeconds + " s", List.of(), retryAfter);
            case CLOSED -> new HttpError(503, "ShuttingDown", "the gateway is shutting down; nothing of this "
                    + "request was accepted: retry against another instance or after restart");
            case ACCEPTED -> throw new IllegalArgumentException("accepted is no refusal");
        };
    }
}
