package com.cwgateway.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One scripted answer of {@link CloudWatchStandIn}: success, a CloudWatch error, a dropped connection, or one of
 * those after a delay. Immutable; safe to enqueue the same instance several times.
 *
 * <p>Errors are written the way CloudWatch writes them in its Smithy RPC v2 CBOR protocol, which is
 * "awsQuery-compatible": a CBOR map {@code {__type, message}} and the header {@code x-amzn-query-error: Code;Sender}.
 * The SDK 2.57 takes {@code awsErrorDetails().errorCode()} from that header (the old Query error code, e.g.
 * {@code InvalidParameterValue}), and picks the exception class from {@code __type} (the Smithy shape name, e.g.
 * {@code InvalidParameterValueException}). Both were checked against the real SDK in {@code CloudWatchStandInTest}.
 *
 * <p>Messages follow CloudWatch's own: a bad datum is named by its 1-based place in the request ("The value NaN for
 * parameter MetricData.member.11.Value is invalid.", "The parameter MetricData.member.1.Timestamp must specify a time
 * within the past two weeks."), a bad request by its parameter ("The value AWS/ for parameter Namespace is
 * invalid.").
 */
public final class StandInResponse {

    enum Kind { OK, SLOW_BODY, ERROR, DROP, DELAY }

    /** Query error code -> Smithy shape name, for the errors CloudWatch models for PutMetricData. */
    private static final Map<String, String> MODELED_SHAPES = Map.of(
            "InvalidParameterValue", "InvalidParameterValueException",
            "InvalidParameterCombination", "InvalidParameterCombinationException",
            "MissingParameter", "MissingRequiredParameterException",
            "InternalServiceError", "InternalServiceFault");

    private final Kind kind;
    private final int status;
    private final String errorCode;
    private final String message;
    private final Duration delay;
    private final StandInResponse then;

    private StandInResponse(Kind kind, int status, String errorCode, String message, Duration delay,
                            StandInResponse then) {
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
        this.message = message;
        this.delay = delay;
        this.then = then;
    }

    private static final StandInResponse OK = new StandInResponse(Kind.OK, 200, null, null, null, null);
    private static final StandInResponse DROP = new StandInResponse(Kind.DROP, 0, null, null, null, null);

    /** 200 with an empty CBOR map: what PutMetricData returns (it has no output members). */
    public static StandInResponse ok() {
        return OK;
    }

    /**
     * 429 {@code Throttling}, as the PutMetricData TPS quota answers (see cloudwatch-rules.md). The SDK classes it
     * as throttling both by the status 429 and by the code {@code Throttling}, so it retries with throttling backoff.
     */
    public static StandInResponse throttling() {
        return error(429, "Throttling", "Rate exceeded");
    }

    /**
     * 500 from CloudWatch's modeled fault {@code InternalServiceFault}: the SDK raises
     * {@code InternalServiceException} with {@code errorCode() == "InternalServiceError"} (the fault's Query code).
     */
    public static StandInResponse serverError() {
        return error(500, "InternalServiceError", "Request processing has failed due to some unknown error.");
    }

    /** 400 with the given Query error code, e.g. {@code InvalidParameterValue}; the SDK does not retry it. */
    public static StandInResponse badRequest(String code, String message) {
        return error(400, code, message);
    }

    /**
     * A default responder ({@link CloudWatchStandIn#setDefaultResponder}) that refuses a call the way CloudWatch
     * refuses a bad value: when a datum of the call matches {@code invalid}, a 400 {@code InvalidParameterValue} that
     * names the first such datum by its 1-based place in MetricData, e.g. "The value -Infinity for parameter
     * MetricData.member.3.Value is invalid."; a call without one gets {@link #ok()}.
     */
    public static Function<RecordedCall, StandInResponse> rejectingDatums(Predicate<RecordedDatum> invalid) {
        return call -> {
            for (int i = 0; i < call.datums().size(); i++) {
                RecordedDatum datum = call.datums().get(i);
                if (invalid.test(datum)) {
                    return badRequest("InvalidParameterValue", "The value " + datum.value()
                            + " for parameter MetricData.member." + (i + 1) + ".Value is invalid.");
                }
            }
            return ok();
        };
    }

    /** 403 {@code AccessDenied}, as for credentials without {@code cloudwatch:PutMetricData}. */
    public static StandInResponse accessDenied() {
        return error(403, "AccessDenied",
                "User is not authorized to perform: cloudwatch:PutMetricData");
    }

    /** Any error: HTTP status, Query error code (what {@code errorCode()} will be) and message. */
    public static StandInResponse error(int status, String code, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error needs a 4xx or 5xx status, got " + status);
        }
        return new StandInResponse(Kind.ERROR, status, Objects.requireNonNull(code, "code"), message, null, null);
    }

    /**
     * A success whose status line and headers are written at once and whose body follows after {@code delay}: the
     * call is stored, and a client whose timeout fires while it reads the body has heard "200" and not the end.
     */
    public static StandInResponse okWithSlowBody(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        return new StandInResponse(Kind.SLOW_BODY, 200, null, null, delay, null);
    }

    /** Reads the whole request, records it, then closes the socket without writing a byte. */
    public static StandInResponse dropConnection() {
        return DROP;
    }

    /**
     * Answers {@code then} after {@code delay}. Only the connection of this call waits; other calls are answered
     * meanwhile, and {@link CloudWatchStandIn#close()} cuts the wait short.
     */
    public static StandInResponse delayed(Duration delay, StandInResponse then) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        return new StandInResponse(Kind.DELAY, 0, null, null, delay, Objects.requireNonNull(then, "then"));
    }

    /** The answer that is finally written, after any delays. */
    public StandInResponse outcome() {
        return kind == Kind.DELAY ? then.outcome() : this;
    }

    /** True if the final answer is a success (even if a delay made the client give up first, as CloudWatch may). */
    public boolean isOk() {
        return outcome().kind == Kind.OK || outcome().kind == Kind.SLOW_BODY;
    }

    public boolean isError() {
        return outcome().kind == Kind.ERROR;
    }

    public boolean isDrop() {
        return outcome().kind == Kind.DROP;
    }

    /** HTTP status of the final answer; 0 for a dropped connection. */
    public int status() {
        return outcome().status;
    }

    /** Query error code of the final answer (e.g. {@code Throttling}), or null if it is no error. */
    public String errorCode() {
        return outcome().errorCode;
    }

    public String message() {
        return outcome().message;
    }

    Kind kind() {
        return kind;
    }

    /** The wait before the answer, or null if it is not delayed. */
    public Duration delay() {
        return delay;
    }

    StandInResponse then() {
        return then;
    }

    /** The {@code __type} value: Smithy shape id, so the SDK can pick the modeled exception class. */
    String errorType() {
        return "com.amazonaws.cloudwatch#" + MODELED_SHAPES.getOrDefault(errorCode, errorCode);
    }

    /** The {@code x-amzn-query-error} value: code, then who is at fault (Receiver for 5xx). */
    String queryErrorHeader() {
        return errorCode + (status >= 500 ? ";Receiver" : ";Sender");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case OK -> "ok";
            case SLOW_BODY -> "okWithSlowBody(" + delay + ")";
            case DROP -> "dropConnection";
            case ERROR -> status + " " + errorCode;
            case DELAY -> "delayed(" + delay + ", " + then + ")";
        };
    }
}
