package com.cwgateway.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every setting the gateway reads from the environment, with its default, what it allows and what it means:
 * {@link GatewayConfig} parses them and {@code --help} prints them from here, so the two cannot drift apart.
 * AWS region, credentials and endpoint are not here: the SDK's standard chains read them.
 */
public enum Setting {

    PORT("3000", "TCP port to listen on; 0 picks a free port", integer(0, 65_535)),
    TLS_CERT_FILE("", "PEM certificate chain (the server's first, as certbot and cert-manager write it): with "
            + "TLS_KEY_FILE the gateway serves HTTPS only, TLS 1.2 and 1.3; a renewed pair is served to new "
            + "connections within seconds", text()),
    TLS_KEY_FILE("", "PEM private key of TLS_CERT_FILE's certificate, RSA or EC in PKCS#8 (BEGIN PRIVATE KEY)",
            text()),
    TLS_CLIENT_CA_FILE("", "PEM certificates of the CAs whose client certificates are required (with TLS); "
            + "empty: no client certificates", text()),
    ADMIN_PORT("", "a second TCP port for /healthcheck, /ready and GET /metrics, served there without a token "
            + "and no longer on PORT (for probes and scraping when AUTH_TOKENS is on); empty: none", optionalPort()),
    SINK("cloudwatch", "where flushed metrics go: cloudwatch publishes them; log writes each PutMetricData call "
            + "that would be made to standard output as one JSON line and sends nothing to AWS",
            oneOf(SinkKind.class)),
    HOST("0.0.0.0", "address to listen on (0.0.0.0: every interface; 127.0.0.1: this machine only)",
            text()),
    METRICS_FLUSH_INTERVAL("60000", "milliseconds between flushes to CloudWatch", integer(100, 86_400_000)),
    METRICS_AGGREGATION("true", "true: merge points of one series and period before publishing, losslessly "
            + "(fewer datums and calls, same statistics and percentiles); false: publish each datum as received",
            flag()),
    MAX_BUFFER_BYTES("0", "heap the buffer may take, in bytes as estimated (series, distinct values, "
            + "dimensions; datums not yet settled by a flush count too); past it requests get 503 with Retry-After "
            + "and nothing is dropped. 0: a third of the JVM's maximum heap", bytes(65_536, 1L << 40)),
    LOG_LEVEL("info", "the least severe lines logged: error, warning, info, or debug (adds one line per request "
            + "and per CloudWatch call)", oneOf(LogLevel.class)),
    DEBUG("false", "true, 1, yes or on: the same as LOG_LEVEL=debug, whatever LOG_LEVEL says (the original's switch)",
            flag()),
    MAX_BODY_BYTES("4194304", "largest request body in bytes, checked again after gunzip (413 above it)",
            integer(1024, 268_435_456)),
    CORS_ORIGIN("*", "value of Access-Control-Allow-Origin sent to browsers", text()),
    SHUTDOWN_DELAY_MS("0", "milliseconds between SIGTERM and the start of shutdown, during which /ready answers 503 "
            + "and requests are still taken (Kubernetes removes a pod from its endpoints some seconds after "
            + "SIGTERM); the grace period must cover it plus SHUTDOWN_TIMEOUT_MS", integer(0, 600_000)),
    SHUTDOWN_TIMEOUT_MS("25000", "milliseconds that shutdown may take in all, from SIGTERM to exit "
            + "(keep it under the grace period of Docker or Kubernetes)", integer(1000, 3_600_000)),
    SPOOL_DIR("spool", "directory of the spool, a log of accepted points not yet published, replayed at the next "
            + "start (a Docker volume, or systemd's StateDirectory); one gateway per directory", text()),
    DURABILITY("disk", "disk: every request is forced to the spool before its 202, so a crash or kill -9 loses "
            + "nothing acknowledged; memory: points are buffered in memory only and written to the spool at "
            + "shutdown, so a crash loses what was buffered (faster)", oneOf(Durability.class)),
    CLOUDWATCH_TIMEOUT_MS("15000", "milliseconds one PutMetricData call may take with its retries "
            + "(a third of it per attempt)", integer(300, 300_000)),
    AUTH_TOKENS("", "comma-separated bearer tokens (at least 16 characters each); when set (here or in "
            + "AUTH_TOKENS_FILE), every endpoint but /healthcheck and /ready needs Authorization: Bearer <token>",
            tokens(), true),
    AUTH_TOKENS_FILE("", "a file of bearer tokens, one per line (# starts a comment), each optionally followed by "
            + "the namespaces it may write (<token> Web/*,Shop); read again within seconds when it changes",
            text()),
    ALLOWED_NAMESPACES("", "comma-separated namespaces clients may write: exact names and Prefix/* patterns; "
            + "empty allows all. Others get 403", text()),
    MAX_SERIES("10000", "distinct series (namespace, metric, dimensions) accepted per flush interval; past it "
            + "requests get 429, so a dimension with a request id cannot create a million custom metrics "
            + "(CloudWatch bills each). 0 turns the cap off", integer(0, 100_000_000)),
    MAX_CONCURRENT_REQUESTS("512", "requests handled at once; more get 503 with Retry-After (each may hold "
            + "up to MAX_BODY_BYTES in memory)", integer(1, 100_000)),
    MAX_BODY_MEMORY_BYTES("0", "heap that request bodies may take at once (each reserves its Content-Length, "
            + "or MAX_BODY_BYTES when it has none, before it is read); past it requests get 503 with "
            + "Retry-After. 0: a quarter of the JVM's maximum heap", integer(0, Integer.MAX_VALUE)),
    LOG_FORMAT("text", "text: one readable line per event; json: one JSON object per line", oneOf(LogFormat.class)),
    HTTP_BACKLOG("1024", "listen backlog: connections the OS queues before the server accepts them",
            integer(1, 65_535)),
    HTTP_MAX_IDLE_CONNECTIONS("1000", "keep-alive connections kept open while idle; set it above the "
            + "number of keep-alive clients you expect", integer(1, 1_000_000)),
    HTTP_REQUEST_TIMEOUT_SECONDS("10", "seconds a client may take to send a request before its connection "
            + "is closed", integer(1, 3600)),
    HTTP_RESPONSE_TIMEOUT_SECONDS("10", "seconds a client may take to read a response before its connection "
            + "is closed", integer(1, 3600));

    private final String defaultValue;
    private final String meaning;
    private final Parser parser;
    private final boolean secret;

    Setting(String defaultValue, String meaning, Parser parser) {
        this(defaultValue, meaning, parser, false);
    }

    Setting(String defaultValue, String meaning, Parser parser, boolean secret) {
        this.defaultValue = defaultValue;
        this.meaning = meaning;
        this.parser = parser;
        this.secret = secret;
    }

    /** A secret's value never appears in messages or logs. */
    public boolean secret() {
        return secret;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String meaning() {
        return meaning;
    }

    public String allowed() {
        return parser.allowed();
    }

    /** The value from {@code env}, or the default when unset or not valid: for what runs without a valid config. */
    public Object valueOrDefault(Function<String, String> env) {
        try {
            return parse(env);
        } catch (IllegalArgumentException e) {
            return parser.parse(defaultValue);
        }
    }

    /** The setting's value from {@code env}, or its default when unset or blank. */
    Object parse(Function<String, String> env) {
        String raw = env.apply(name());
        return parser.parse(raw == null || raw.isBlank() ? defaultValue : raw.trim());
    }

    /** Turns the text of a setting into its value, or throws {@link IllegalArgumentException}. */
    private record Parser(String allowed, Function<String, Object> parse) {
        Object parse(String raw) {
            return parse.apply(raw);
        }
    }

    /** A port, or -1 when the setting is empty. */
    private static Parser optionalPort() {
        Parser port = integer(0, 65_535);
        return new Parser("empty, or " + port.allowed(), raw -> raw.isEmpty() ? -1 : port.parse(raw));
    }

    private static Parser integer(int min, int max) {
        return number("a whole number from " + min + " to " + max, Integer::valueOf,
                value -> value >= min && value <= max);
    }

    /** 0 (the default rule), or a number of bytes from {@code min} to {@code max}. */
    private static Parser bytes(long min, long max) {
        return number("0, or a whole number from " + min + " to " + max, Long::valueOf,
                value -> value == 0 || (value >= min && value <= max));
    }

    private static <N extends Number> Parser number(String allowed, Function<String, N> parse, Predicate<N> valid) {
        return new Parser(allowed, raw -> {
            try {
                N value = parse.apply(raw);
                if (valid.test(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below, with what is allowed
            }
            throw new IllegalArgumentException(allowed);
        });
    }

    private static Parser flag() {
        String allowed = "true, 1, yes, on / false, 0, no, off";
        return new Parser(allowed, raw -> switch (raw.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(allowed);
        });
    }

    private static <E extends Enum<E>> Parser oneOf(Class<E> kinds) {
        String allowed = "one of " + Arrays.stream(kinds.getEnumConstants())
                .map(kind -> kind.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return new Parser(allowed, raw -> {
            for (E kind : kinds.getEnumConstants()) {
                if (kind.name().equalsIgnoreCase(raw)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(allowed);
        });
    }

    private static Parser tokens() {
        String allowed = "tokens of at least 16 characters, separated by commas";
        return new Parser(allowed, raw -> {
            List<String> tokens = commaSeparated(raw);
            if (tokens.stream().anyMatch(token -> token.length() < 16)) {
                throw new IllegalArgumentException(allowed);
            }
            return tokens;
        });
    }

    /** The items of a comma-separated list, stripped; empty ones are left out. */
    static List<String> commaSeparated(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList();
    }

    private static Parser text() {
        return new Parser("any text", raw -> raw);
    }
}
