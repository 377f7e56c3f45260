package com.cwgateway.config;

import java.util.List;

/** One or more settings are bad; the message lists each with its value and what is allowed. */
public final class InvalidConfigException extends Exception {

    public InvalidConfigException(List<String> problems) {
        super("invalid settings:\n  " + String.join("\n  ", problems), null, false, false);
    }
}
