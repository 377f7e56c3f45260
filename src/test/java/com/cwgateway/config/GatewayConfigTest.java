package com.cwgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    @Test
    void defaultsMatchTheOriginal() throws Exception {
        GatewayConfig config = GatewayConfig.from(Map.<String, String>of()::get);

        assertEquals(3000, config.port());
        assertEquals(Duration.ofMillis(60000), config.flushInterval());
        assertEquals(LogLevel.INFO, config.logLevel());
        assertEquals("*", config.corsOrigin());
        assertEquals(Duration.ofMillis(25000), config.shutdownTimeout());
        assertEquals(1024, config.httpBacklog());
    }

    @Test
    void readsEverySettingAndTreatsBlankAsUnset() throws Exception {
        GatewayConfig config = GatewayConfig.from(Map.of("PORT", "8080", "DEBUG", "1", "METRICS_FLUSH_INTERVAL", "1000",
                "MAX_BODY_BYTES", "2048", "CORS_ORIGIN", "https://a.example", "HOST", " ")::get);

        assertEquals(8080, config.port());
        assertEquals(LogLevel.DEBUG, config.logLevel(), "DEBUG=1 is LOG_LEVEL=debug");
        assertEquals(Duration.ofSeconds(1), config.flushInterval());
        assertEquals(2048, config.maxBodyBytes());
        assertEquals("https://a.example", config.corsOrigin());
        assertEquals("0.0.0.0", config.host());
    }

    @Test
    void listsEveryBadSettingWithItsValueAndWhatIsAllowed() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> GatewayConfig.from(
                Map.of("PORT", "http", "DEBUG", "verbose", "METRICS_FLUSH_INTERVAL", "-5")::get));

        assertEquals(1 + 3, e.getMessage().lines().count(), "a heading and a line per setting: " + e.getMessage());
        assertTrue(e.getMessage().contains("PORT='http': must be a whole number from 0 to 65535"), e.getMessage());
        assertTrue(e.getMessage().contains("DEBUG='verbose': must be true, 1, yes, on / false, 0, no, off"));
        assertTrue(e.getMessage().contains("METRICS_FLUSH_INTERVAL='-5': must be a whole number from 100 to"));
    }

    @Test
    void logLevelTakesItsFourNamesAndDebugTrueWins() throws Exception {
        assertEquals(LogLevel.WARNING, GatewayConfig.from(Map.of("LOG_LEVEL", "Warning")::get).logLevel());
        assertEquals(LogLevel.ERROR, GatewayConfig.from(Map.of("LOG_LEVEL", "error")::get).logLevel());
        assertEquals(LogLevel.DEBUG, GatewayConfig.from(Map.of("LOG_LEVEL", "error", "DEBUG", "true")::get).logLevel());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> GatewayConfig.from(Map.of("LOG_LEVEL", "verbose")::get));
        assertTrue(e.getMessage().contains("LOG_LEVEL='verbose': must be one of error, warning, info, debug"),
                e.getMessage());
    }

    @Test
    void tlsNeedsBothFilesAndAClientCaNeedsTls() {
        InvalidConfigException half = assertThrows(InvalidConfigException.class,
                () -> GatewayConfig.from(Map.of("TLS_CERT_FILE", "/etc/tls/cert.pem")::get));
        assertTrue(half.getMessage().contains("TLS_CERT_FILE and TLS_KEY_FILE: set both"), half.getMessage());
        InvalidConfigException ca = assertThrows(InvalidConfigException.class,
                () -> GatewayConfig.from(Map.of("TLS_CLIENT_CA_FILE", "/etc/tls/ca.pem")::get));
        assertTrue(ca.getMessage().contains("TLS_CLIENT_CA_FILE: needs TLS_CERT_FILE"), ca.getMessage());
    }
}
