package com.cwgateway.app;

import com.cwgateway.config.GatewayConfig;
import com.cwgateway.config.InvalidConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * {@code --probe}: {@code GET /ready} on the gateway this environment configures ({@code ADMIN_PORT}, else
 * {@code PORT}, over TLS when the listener has it); exits 0 on 200, else 1. A health check for images without
 * curl; over TLS it checks readiness, not the certificate: the probe runs beside the gateway.
 */
final class Probe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private Probe() {}

    static int run(Function<String, String> env, PrintStream out, PrintStream err) {
        GatewayConfig config;
        try {
            config = GatewayConfig.from(env);
        } catch (InvalidConfigException e) {
            err.println("probe: " + e.getMessage());
            return 1;
        }
        boolean admin = config.adminPort() >= 0;
        String scheme = !admin && config.tls() ? "https" : "http";
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        URI ready = URI.create(scheme + "://" + host + ":" + (admin ? config.adminPort() : config.port()) + "/ready");
        try {
            HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
            if (scheme.equals("https")) {
                System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
                client.sslContext(trustingAnyServer());
            }
            HttpResponse<String> answer = client.build().send(HttpRequest.newBuilder(ready).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                out.println("probe: " + ready + " answered 200 " + answer.body());
                return 0;
            }
            err.println("probe: " + ready + " answered " + answer.statusCode() + " " + answer.body());
            return 1;
        } catch (IOException | RuntimeException | java.security.GeneralSecurityException e) {
            err.println("probe: " + ready + ": " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static SSLContext trustingAnyServer() throws java.security.GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("the probe is a client");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // readiness, not identity: the probe asks the gateway on its own host
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
