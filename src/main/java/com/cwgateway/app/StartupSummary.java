package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;
import java.time.Duration;
import java.time.Instant;

/** The one line logged once the gateway serves: what it listens on, where it sends, the limits in force. */
final class StartupSummary {

    private StartupSummary() {}

    static String line(GatewayConfig config, int port, String sink) {
        String started = ProcessHandle.current().info().startInstant()
                .map(start -> " started in " + Duration.between(start, Instant.now()).toMillis() + " ms:")
                .orElse(" started:");
        return "aws-cloudwatch-metrics-http-gateway " + Version.current() + started
                + " listening on http://" + config.host() + ":" + port
                + " (POST /metrics, POST /batch, GET /healthcheck, GET /ready, GET /metrics)"
                + "; flush every " + config.flushInterval().toMillis() + " ms"
                + "; sink " + sink
                + "; limits: body " + config.maxBodyBytes() + " bytes"
                + ", CloudWatch call " + config.cloudWatchTimeout().toMillis() + " ms"
                + ", shutdown " + config.shutdownTimeout().toMillis() + " ms"
                + ", request/response " + config.httpRequestTimeoutSeconds() + "/"
                + config.httpResponseTimeoutSeconds() + " s"
                + ", idle connections " + config.httpMaxIdleConnections()
                + ", concurrent requests " + config.maxConcurrentRequests()
                + ", buffered points " + config.maxBufferedPoints()
                + ", series per interval " + (config.maxSeries() == 0 ? "unlimited" : config.maxSeries())
                + "; aggregation " + (config.aggregation() ? "on" : "off")
                + "; spool " + config.spoolDir()
                + "; auth " + (config.authTokens().isEmpty() ? "off (anyone who can reach the port may post)"
                        : config.authTokens().size() + " bearer tokens")
                + "; namespaces " + (config.allowedNamespaces().isEmpty() ? "any"
                        : String.join(",", config.allowedNamespaces()))
                + "; CORS origin " + config.corsOrigin()
                + "; DEBUG " + (config.debug() ? "on" : "off");
    }
}
