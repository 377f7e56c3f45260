package com.cwgateway.config;

import java.io.IOException;
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
        int adminPort,
        Path tlsCertFile,
        Path tlsKeyFile,
        Path tlsClientCaFile,
        SinkKind sink,
        Duration flushInterval,
        boolean aggregation,
        long maxBufferBytes,
        LogLevel logLevel,
        int maxBodyBytes,
        String corsOrigin,
        Duration shutdownTimeout,
        Duration shutdownDelay,
        Path spoolDir,
        Durability durability,
        Duration cloudWatchTimeout,
        List<AuthToken> authTokens,
        Path authTokensFile,
        List<String> allowedNamespaces,
        int maxSeries,
        int maxConcurrentRequests,
        long maxBodyMemoryBytes,
        LogFormat logFormat,
        int httpBacklog,
        int httpMaxIdleConnections,
        int httpRequestTimeoutSeconds,
        int httpResponseTimeoutSeconds) {

    /** Reads every {@link Setting} from {@code env}; throws listing every bad setting, so one start shows all. */
    public static GatewayConfig from(Function<String, String> env) throws InvalidConfigException {
        Map<Setting, Object> values = new EnumMap<>(Setting.class);
        List<String> problems = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            try {
                values.put(setting, setting.parse(env));
            } catch (IllegalArgumentException e) {
                String value = setting.secret() ? "(hidden)" : "'" + env.apply(setting.name()) + "'";
                problems.add(setting.name() + "=" + value + ": must be " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        GatewayConfig config = new GatewayConfig(
                (String) values.get(Setting.HOST),
                (int) values.get(Setting.PORT),
                (int) values.get(Setting.ADMIN_PORT),
                optionalPath(values, Setting.TLS_CERT_FILE),
                optionalPath(values, Setting.TLS_KEY_FILE),
                optionalPath(values, Setting.TLS_CLIENT_CA_FILE),
                (SinkKind) values.get(Setting.SINK),
                Duration.ofMillis((int) values.get(Setting.METRICS_FLUSH_INTERVAL)),
                (boolean) values.get(Setting.METRICS_AGGREGATION),
                bufferBytes((long) values.get(Setting.MAX_BUFFER_BYTES)),
                LogLevel.of((boolean) values.get(Setting.DEBUG), (LogLevel) values.get(Setting.LOG_LEVEL)),
                (int) values.get(Setting.MAX_BODY_BYTES),
                (String) values.get(Setting.CORS_ORIGIN),
                Duration.ofMillis((int) values.get(Setting.SHUTDOWN_TIMEOUT_MS)),
                Duration.ofMillis((int) values.get(Setting.SHUTDOWN_DELAY_MS)),
                Path.of((String) values.get(Setting.SPOOL_DIR)),
                (Durability) values.get(Setting.DURABILITY),
                Duration.ofMillis((int) values.get(Setting.CLOUDWATCH_TIMEOUT_MS)),
                authTokens(values),
                tokensFile(values, problems),
                Setting.commaSeparated((String) values.get(Setting.ALLOWED_NAMESPACES)),
                (int) values.get(Setting.MAX_SERIES),
                (int) values.get(Setting.MAX_CONCURRENT_REQUESTS),
                bodyMemory((int) values.get(Setting.MAX_BODY_MEMORY_BYTES)),
                (LogFormat) values.get(Setting.LOG_FORMAT),
                (int) values.get(Setting.HTTP_BACKLOG),
                (int) values.get(Setting.HTTP_MAX_IDLE_CONNECTIONS),
                (int) values.get(Setting.HTTP_REQUEST_TIMEOUT_SECONDS),
                (int) values.get(Setting.HTTP_RESPONSE_TIMEOUT_SECONDS));
        if ((config.tlsCertFile() == null) != (config.tlsKeyFile() == null)) {
            problems.add("TLS_CERT_FILE and TLS_KEY_FILE: set both (HTTPS) or neither (HTTP)");
        }
        if (config.tlsClientCaFile() != null && config.tlsCertFile() == null) {
            problems.add("TLS_CLIENT_CA_FILE: needs TLS_CERT_FILE and TLS_KEY_FILE");
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return config;
    }

    /** A file setting, or null when it is empty. */
    private static Path optionalPath(Map<Setting, Object> values, Setting setting) {
        String file = (String) values.get(setting);
        return file.isEmpty() ? null : Path.of(file);
    }

    /** Whether the listener serves HTTPS. */
    public boolean tls() {
        return tlsCertFile != null;
    }

    /** The tokens of AUTH_TOKENS: each may write every namespace the gateway allows. */
    @SuppressWarnings("unchecked")
    private static List<AuthToken> authTokens(Map<Setting, Object> values) {
        return ((List<String>) values.get(Setting.AUTH_TOKENS)).stream()
                .map(token -> new AuthToken(token, List.of())).toList();
    }

    /** AUTH_TOKENS_FILE, checked now (the gateway reads it again whenever it changes); null when unset. */
    private static Path tokensFile(Map<Setting, Object> values, List<String> problems) {
        String file = (String) values.get(Setting.AUTH_TOKENS_FILE);
        if (file.isEmpty()) {
            return null;
        }
        try {
            if (TokenFile.read(Path.of(file)).isEmpty() && values.get(Setting.AUTH_TOKENS) instanceof List<?> fixed
                    && fixed.isEmpty()) {
                problems.add("AUTH_TOKENS_FILE='" + file + "': holds no token, so no request could get in; add "
                        + "tokens, or unset it to run without");
            }
        } catch (IllegalArgumentException e) {
            problems.add("AUTH_TOKENS_FILE='" + file + "': " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            problems.add("AUTH_TOKENS_FILE='" + file + "': must be a readable file of tokens (" + e + ")");
        }
        return Path.of(file);
    }

    /** Whether requests need a bearer token: AUTH_TOKENS or AUTH_TOKENS_FILE is set. */
    public boolean authOn() {
        return !authTokens.isEmpty() || authTokensFile != null;
    }

    /**
     * MAX_BUFFER_BYTES, with 0 meaning a third of the JVM's maximum heap: beside bodies (a quarter, see
     * {@link #bodyMemory}) and the gateway's own objects, that leaves the collector room at any heap size.
     */
    private static long bufferBytes(long setting) {
        return setting > 0 ? setting : Runtime.getRuntime().maxMemory() / 3;
    }

    /** MAX_BODY_MEMORY_BYTES, with 0 meaning a quarter of the JVM's maximum heap. */
    private static long bodyMemory(int setting) {
        return setting > 0 ? setting : Runtime.getRuntime().maxMemory() / 4;
    }
}
