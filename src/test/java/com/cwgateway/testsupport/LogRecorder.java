package com.cwgateway.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Records the messages a logger publishes at a level or above, until closed: for tests that check a log line. */
public final class LogRecorder extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level atLeast;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogRecorder(Logger logger, Level atLeast) {
        this.logger = logger;
        this.atLeast = atLeast;
    }

    public static LogRecorder on(String loggerName, Level atLeast) {
        LogRecorder recorder = new LogRecorder(Logger.getLogger(loggerName), atLeast);
        recorder.logger.addHandler(recorder);
        return recorder;
    }

    /** The messages so far, in order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits up to 10 s for a message; the messages then. */
    public List<String> awaitAny() throws InterruptedException {
        return await(1);
    }

    /** Waits up to 10 s for {@code count} messages; the messages then. */
    public List<String> await(int count) throws InterruptedException {
        for (int i = 0; i < 200 && messages.size() < count; i++) {
            Thread.sleep(50);
        }
        return messages();
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= atLeast.intValue()) {
            messages.add(record.getMessage());
        }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
