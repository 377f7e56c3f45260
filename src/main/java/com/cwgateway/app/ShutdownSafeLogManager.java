package com.cwgateway.app;

import java.util.logging.LogManager;

/**
 * The JDK resets logging from a shutdown hook of its own, which runs at the same time as ours: the lines
 * that say what the shutdown delivered would be lost. This manager ignores that reset (our handler writes
 * each line through at once, so nothing is left to flush). Installed by {@link Logging#install()}.
 */
public final class ShutdownSafeLogManager extends LogManager {

    private volatile boolean configured;

    @Override
    public void reset() {
        if (!configured) {
            super.reset();
        }
    }

    void markConfigured() {
        configured = true;
    }
}
