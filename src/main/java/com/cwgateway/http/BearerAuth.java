package com.cwgateway.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optional bearer tokens ({@code AUTH_TOKENS}, {@code AUTH_TOKENS_FILE}), held by a {@link TokenStore}, which
 * compares SHA-256 digests in constant time against every token, so the time taken says nothing about how much
 * of a guess was right. A request with a token of ours carries the token's scope ({@link #SCOPE}) on to the
 * handler, which checks the namespaces it writes. Probes ({@code /healthcheck}, {@code /ready}) and CORS
 * preflights, which browsers send without credentials, stay open. Tokens are never logged.
 */
final class BearerAuth extends Filter {

    /** The exchange attribute holding the {@link TokenStore.Scope} of the request's token. */
    static final String SCOPE = "cwgateway.token-scope";

    private static final Set<String> OPEN_PATHS = Set.of("/healthcheck", "/ready");
    private static final String SCHEME = "Bearer ";

    private final TokenStore tokens;

    BearerAuth(TokenStore tokens) {
        this.tokens = tokens;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (OPEN_PATHS.contains(exchange.getRequestURI().getPath()) || exchange.getRequestMethod().equals("OPTIONS")) {
            chain.doFilter(exchange);
            return;
        }
        TokenStore.Scope scope = scope(exchange.getRequestHeaders().getFirst("Authorization"));
        if (scope != null) {
            exchange.setAttribute(SCOPE, scope);
            chain.doFilter(exchange);
            return;
        }
        try (exchange) {
            Responses.error(exchange, new HttpError(401, "Unauthorized",
                    "send Authorization: Bearer <token> with one of the gateway's tokens (AUTH_TOKENS)", List.of(),
                    Map.of("WWW-Authenticate", "Bearer realm=\"aws-cloudwatch-metrics-http-gateway\"")));
        }
    }

    private TokenStore.Scope scope(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return null;
        }
        return tokens.find(authorization.substring(SCHEME.length()).strip());
    }

    @Override
    public String description() {
        return "bearer tokens";
    }
}
