package com.cwgateway.ingest;

import java.util.List;

/**
 * The body cannot be accepted as it is. {@code error} is a stable code for clients ({@code InvalidJson},
 * {@code ValidationError}); {@code problems} lists every rule broken, by field path (empty for InvalidJson).
 */
public final class InvalidInputException extends Exception {

    private final String error;
    private final List<Problem> problems;

    public InvalidInputException(String error, String message, List<Problem> problems) {
        super(message, null, false, false);
        this.error = error;
        this.problems = List.copyOf(problems);
    }

    public String error() {
        return error;
    }

    public List<Problem> problems() {
        return problems;
    }
}
