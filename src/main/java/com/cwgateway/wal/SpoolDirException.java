package com.cwgateway.wal;

/**
 * The spool directory cannot hold the write-ahead log: missing and not creatable, not a directory, not
 * writable, too full, or in use by another gateway. The message names the directory and what to do.
 */
public final class SpoolDirException extends Exception {

    public SpoolDirException(String message) {
        super(message);
    }

    public SpoolDirException(String message, Throwable cause) {
        super(message, cause);
    }
}
