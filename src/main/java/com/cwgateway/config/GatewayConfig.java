package com.cwgateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The gateway's settings, parsed and checked once at start-up. */
public record GatewayConfig(
        String host,
        int port,
        SinkKind sink,
        Duration flushInterval,
        boolean aggregation,
        int maxBufferedPoints,
        boolean debug,
        int maxBodyBytes,
        String corsOrigin,
        Duration shutdownTimeout,
        Path spoolDir,
        Duration cloudWatchTimeout,
        int httpBacklog,
        int httpMaxIdleConnections,
        int httpRequestTimeoutSeconds,
        int httpResponseTimeoutSeconds) {

    /**
     * Reads every {@link Setting} from {@code env} (the process environment, or a map in tests).
     *
     * @throws InvalidConfigException listing every bad setting at once, so one start shows them all
     */
    public static GatewayConfig from(Function<String, String> env) throws InvalidConfigException {
        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        List<String> problems = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            try {
                values.put(setting, setting.parse(env));
            } catch (IllegalArgumentException e) {
                problems.add(setting.name() + "='" + env.apply(setting.name()) + "': must be " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return new GatewayConfig(
                (String) values.get(Setting.HOST),
                (int) values.get(Setting.PORT),
                (SinkKind) values.get(Setting.SINK),
                Duration.ofMillis((int) values.get(Setting.METRICS_FLUSH_INTERVAL)),
                (boolean) values.get(Setting.METRICS_AGGREGATION),
                (int) values.get(Setting.MAX_BUFFERED_POINTS),
                (boolean) values.get(Setting.DEBUG),
                (int) values.get(Setting.MAX_BODY_BYTES),
                (String) values.get(Setting.CORS_ORIGIN),
                Duration.ofMillis((int) values.get(Setting.SHUTDOWN_TIMEOUT_MS)),
                Path.of((String) values.get(Setting.SPOOL_DIR)),
                Duration.ofMillis((int) values.get(Setting.CLOUDWATCH_TIMEOUT_MS)),
                (int) values.get(Setting.HTTP_BACKLOG),
                (int) values.get(Setting.HTTP_MAX_IDLE_CONNECTIONS),
                (int) values.get(Setting.HTTP_REQUEST_TIMEOUT_SECONDS),
                (int) values.get(Setting.HTTP_RESPONSE_TIMEOUT_SECONDS));
    }
}
