package com.cwgateway.publish;

/**
 * A chunk was not published. {@code errorCode} is CloudWatch's code ({@code Throttling},
 * {@code InvalidParameterValue}, ...) or the kind of local failure ({@code Timeout}, {@code ClientError}).
 */
public final class PublishException extends Exception {

    /** What a failure says about trying again. */
    public enum Kind {
        /** Throttling, 5xx, timeouts, network: the same chunk will go through later. */
        TRANSIENT,
        /** Credentials missing, expired or not allowed (401/403): keep the data, and say so loudly. */
        CREDENTIALS,
        /** CloudWatch refused the data itself (another 4xx): retrying the same chunk fails again. */
        REJECTED
    }

    private final String errorCode;
    private final Kind kind;

    public PublishException(String errorCode, Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.kind = kind;
    }

    public String errorCode() {
        return errorCode;
    }

    public Kind kind() {
        return kind;
    }
}
