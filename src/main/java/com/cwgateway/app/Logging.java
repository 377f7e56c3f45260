package com.cwgateway.app;

import com.cwgateway.config.LogFormat;
import com.cwgateway.config.LogLevel;
import com.cwgateway.config.Setting;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.function.Function;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * java.util.logging for every mode of the jar: one line per event on standard error
 * ({@code 2026-11-25T13:00:00.123Z INFO  message}, or JSON with {@code LOG_FORMAT=json}), the gateway at
 * {@code LOG_LEVEL} (debug is FINE), the AWS SDK (through SLF4J) at WARNING or above, so its chatter stays out.
 */
final class Logging {

    private static final String MANAGER_PROPERTY = "java.util.logging.manager";

    private Logging() {}

    /** Must run before anything touches java.util.logging, i.e. first in {@code main}. */
    static void install() {
        if (System.getProperty(MANAGER_PROPERTY) == null) {
            System.setProperty(MANAGER_PROPERTY, ShutdownSafeLogManager.class.getName());
        }
    }

    static void configure(LogLevel level, LogFormat format) {
        LogManager manager = LogManager.getLogManager();
        manager.reset();
        Handler handler = new StandardErrorHandler(format == LogFormat.JSON ? new JsonFormatter() : new OneLineFormatter());
        Level gateway = switch (level) {
            case ERROR -> Level.SEVERE;
            case WARNING -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
        };
        Logger root = Logger.getLogger("");
        root.setLevel(atLeast(gateway, Level.INFO));
        root.addHandler(handler);
        Logger.getLogger("com.cwgateway").setLevel(gateway);
        Logger.getLogger("software.amazon.awssdk").setLevel(atLeast(gateway, Level.WARNING));
        if (manager instanceof ShutdownSafeLogManager safe) {
            safe.markConfigured();
        }
    }

    /** As {@link #configure} from {@code env}, with defaults for settings that are not valid (to report them). */
    static void configure(Function<String, String> env) {
        LogLevel level = LogLevel.of((boolean) Setting.DEBUG.valueOrDefault(env),
                (LogLevel) Setting.LOG_LEVEL.valueOrDefault(env));
        configure(level, (LogFormat) Setting.LOG_FORMAT.valueOrDefault(env));
    }

    /** The more severe of the two. */
    private static Level atLeast(Level level, Level floor) {
        return level.intValue() >= floor.intValue() ? level : floor;
    }

    /**
     * Writes each line through at once, so a crash or a kill loses none; closing leaves stderr open. Under
     * systemd ({@code JOURNAL_STREAM} set) every line starts with its syslog priority, which the journal
     * keeps, so {@code journalctl -p warning} finds the warnings.
     */
    static final class StandardErrorHandler extends StreamHandler {
        private final boolean journal = System.getenv("JOURNAL_STREAM") != null;

        StandardErrorHandler(Formatter formatter) {
            super(System.err, formatter);
            setLevel(Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (!journal) {
                super.publish(record);
            } else if (isLoggable(record)) {
                System.err.print(withPriority(getFormatter().format(record), record.getLevel()));
            }
            flush();
        }

        /** Each line of {@code text} with the syslog priority of {@code level} in front. */
        static String withPriority(String text, Level level) {
            int value = level.intValue();
            String priority = value >= Level.SEVERE.intValue() ? "<3>" : value >= Level.WARNING.intValue() ? "<4>"
                    : value >= Level.INFO.intValue() ? "<6>" : "<7>";
            StringBuilder lines = new StringBuilder(text.length() + 8);
            for (String line : text.split("(?<=\n)")) {
                lines.append(priority).append(line);
            }
            return lines.toString();
        }

        @Override
        public synchronized void flush() {
            super.flush();
            System.err.flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }

    /** {@code {"time":...,"level":...,"logger":...,"message":...,"error":...}}, one object per line. */
    static final class JsonFormatter extends Formatter {
        private static final JsonFactory JSON = new JsonFactory();

        @Override
        public String format(LogRecord record) {
            StringWriter line = new StringWriter(160);
            try (JsonGenerator json = JSON.createGenerator(line)) {
                json.writeStartObject();
                json.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
                json.writeStringField("level", record.getLevel().getName());
                json.writeStringField("logger", record.getLoggerName());
                json.writeStringField("message", formatMessage(record));
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    json.writeStringField("error", trace.toString());
                }
                json.writeEndObject();
            } catch (IOException e) {
                return record.getLevel() + " " + formatMessage(record) + System.lineSeparator();
            }
            return line.append(System.lineSeparator()).toString();
        }
    }

    /** {@code <instant> <LEVEL> <message>}, then the stack trace when there is one (logs only, never responses). */
    static final class OneLineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(128)
                    .append(Instant.ofEpochMilli(record.getMillis()))
                    .append(' ')
                    .append(String.format("%-8s", record.getLevel().getName()))
                    .append(formatMessage(record))
                    .append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
