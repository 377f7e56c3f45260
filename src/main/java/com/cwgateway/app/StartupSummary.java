package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * The line logged once the gateway serves: what it listens on, where it sends, the limits in force. The
 * sink's region and endpoint follow in a line of their own when its client is ready.
 */
final class StartupSummary {

    private StartupSummary() {}

    /** {@code sinceMain}: from the start of {@code main} to listening (the JVM's own start adds about 0.1 s). */
    static String line(GatewayConfig config, int port, Integer adminPort, Duration sinceMain) {
        return "aws-cloudwatch-metrics-http-gateway " + Version.current() + " started in " + sinceMain.toMillis() + " ms:"
                + " listening on " + (config.tls() ? "https" : "http") + "://" + config.host() + ":" + port
                + (adminPort == null ? " (POST /metrics, POST /batch, GET /healthcheck, GET /ready, GET /metrics)"
                        : " (POST /metrics, POST /batch); probes and the scrape on http://" + config.host() + ":"
                        + adminPort + " (GET /healthcheck, GET /ready, GET /metrics; no token)")
                + "; flush every " + config.flushInterval().toMillis() + " ms"
                + "; sink " + config.sink().name().toLowerCase(Locale.ROOT)
                + "; limits: body " + config.maxBodyBytes() + " bytes"
                + ", CloudWatch call " + config.cloudWatchTimeout().toMillis() + " ms"
                + ", shutdown " + config.shutdownTimeout().toMillis() + " ms"
                + ", request/response " + config.httpRequestTimeoutSeconds() + "/"
                + config.httpResponseTimeoutSeconds() + " s"
                + ", idle connections " + config.httpMaxIdleConnections()
                + ", concurrent requests " + config.maxConcurrentRequests()
                + ", body memory " + config.maxBodyMemoryBytes() + " bytes"
                + ", buffer " + config.maxBufferBytes() + " bytes"
                + ", series per interval " + (config.maxSeries() == 0 ? "unlimited" : config.maxSeries())
                + "; aggregation " + (config.aggregation() ? "on" : "off")
                + "; spool " + config.spoolDir() + " (durability " + config.durability().name().toLowerCase(Locale.ROOT)
                + ")"
                + "; auth " + (!config.authOn() ? "off (anyone who can reach the port may post)"
                        : "bearer tokens (" + config.authTokens().size() + " from AUTH_TOKENS"
                        + (config.authTokensFile() == null ? "" : ", and those of " + config.authTokensFile()) + ")")
                + "; namespaces " + (config.allowedNamespaces().isEmpty() ? "any"
                        : String.join(",", config.allowedNamespaces()))
                + "; CORS origin " + config.corsOrigin()
                + "; log level " + config.logLevel().name().toLowerCase(Locale.ROOT);
    }
}
