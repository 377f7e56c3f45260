package com.cwgateway.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * Optional bearer tokens ({@code AUTH_TOKENS}, {@code AUTH_TOKENS_FILE}). Tokens are kept and compared as
 * SHA-256 digests with {@link MessageDigest#isEqual}, against every token without stopping early, so the
 * time taken says nothing about how much of a guess was right, nor about a token's length. Probes
 * ({@code /healthcheck}, {@code /ready}) and CORS preflights, which browsers send without credentials,
 * stay open. Tokens are never logged.
 */
final class BearerAuth extends Filter {

    private static final Set<String> OPEN_PATHS = Set.of("/healthcheck", "/ready");
    private static final String SCHEME = "Bearer ";

    private final List<byte[]> digests;

    BearerAuth(List<String> tokens) {
        this.digests = tokens.stream().map(BearerAuth::digest).toList();
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (OPEN_PATHS.contains(exchange.getRequestURI().getPath())
                || exchange.getRequestMethod().equals("OPTIONS")
                || allowed(exchange.getRequestHeaders().getFirst("Authorization"))) {
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            Responses.error(exchange, new HttpError(401, "Unauthorized",
                    "send Authorization: Bearer <token> with one of the gateway's tokens (AUTH_TOKENS)", List.of(),
                    java.util.Map.of("WWW-Authenticate", "Bearer realm=\"aws-cloudwatch-metrics-http-gateway\"")));
        }
    }

    private boolean allowed(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] presented = digest(authorization.substring(SCHEME.length()).strip());
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(digest, presented);
        }
        return match;
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String description() {
        return "bearer tokens";
    }
}
