package com.cwgateway.publish;

/**
 * A chunk was not published. {@code errorCode} is CloudWatch's code ({@code Throttling},
 * {@code InvalidParameterValue}, ...) or the kind of local failure ({@code Timeout}, {@code ConnectionFailed});
 * {@code retryable} says whether the same chunk may succeed later (throttling, 5xx, I/O) or will fail again.
 */
public final class PublishException extends Exception {

    private final String errorCode;
    private final boolean retryable;

    public PublishException(String errorCode, boolean retryable, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
        this.retryable = retryable;
    }

    public String errorCode() {
        return errorCode;
    }

    public boolean retryable() {
        return retryable;
    }
}
