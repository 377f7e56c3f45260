package com.cwgateway.config;

/** The least severe lines logged ({@code LOG_LEVEL}); {@code DEBUG=true} is {@link #DEBUG}. */
public enum LogLevel {
    /** Only what stopped something: a bad setting, an unusable directory, a failed publish given up. */
    ERROR,
    /** And what needs a look: drops, refusals, retries, a heap too small for the buffer. */
    WARNING,
    /** And one line per start, stop and flush with what it did. */
    INFO,
    /** And one line per request and per CloudWatch call. */
    DEBUG;

    /** The level in force: {@code DEBUG=true} (the original's switch) is debug, whatever {@code LOG_LEVEL} says. */
    public static LogLevel of(boolean debug, LogLevel logLevel) {
        return debug ? DEBUG : logLevel;
    }
}
