package com.cwgateway.publish;

/**
 * A chunk was not published. {@code errorCode} is CloudWatch's code ({@code Throttling},
 * {@code InvalidParameterValue}, ...) or the kind of local failure ({@code Timeout}, {@code ClientError}).
 */
public final class PublishException extends Exception {

    /** What a failure says about trying again. */
    public enum Kind {
        /** Throttling, 5xx, or no connection: nothing was stored, and the same chunk will go through later. */
        TRANSIENT,
        /**
         * As {@link #TRANSIENT}, but {@link #unknownAttempts()} attempts reached CloudWatch and got no answer
         * (timed out, or the connection dropped after the request was sent): CloudWatch may have stored the chunk,
         * so sending it again may store its points twice.
         */
        UNKNOWN_OUTCOME,
        /** Credentials missing, expired or not allowed (401/403): keep the data, and say so loudly. */
        CREDENTIALS,
        /** CloudWatch refused the data itself (another 4xx): retrying the same chunk fails again. */
        REJECTED
    }

    private final String errorCode;
    private final Kind kind;
    private final int unknownAttempts;

    public PublishException(String errorCode, Kind kind, String message, Throwable cause) {
        this(errorCode, kind, message, cause, 0);
    }

    private PublishException(String errorCode, Kind kind, String message, Throwable cause, int unknownAttempts) {
        super(message, cause);
        this.errorCode = errorCode;
        this.kind = kind;
        this.unknownAttempts = unknownAttempts;
    }

    /**
     * A call that failed after {@code unknownAttempts} (at least 1) of its attempts reached CloudWatch without an
     * answer; {@code errorCode} is that of the last failure ({@code Timeout}, {@code ClientError}, a 5xx code).
     */
    public static PublishException unknownOutcome(String errorCode, String message, Throwable cause,
                                                  int unknownAttempts) {
        if (unknownAttempts < 1) {
            throw new IllegalArgumentException("an unknown outcome needs at least one unanswered attempt");
        }
        return new PublishException(errorCode, Kind.UNKNOWN_OUTCOME, message, cause, unknownAttempts);
    }

    public String errorCode() {
        return errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For {@link Kind#UNKNOWN_OUTCOME}: how many attempts of the call reached CloudWatch and got no answer, each of
     * which may have stored the chunk. 0 for every other kind.
     */
    public int unknownAttempts() {
        return unknownAttempts;
    }
}
