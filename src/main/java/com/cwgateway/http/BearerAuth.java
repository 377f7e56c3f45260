package com.cwgateway.http;

import com.cwgateway.ingest.NamespacePolicy;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Optional bearer tokens ({@code AUTH_TOKENS}, {@code AUTH_TOKENS_FILE}, held by a {@link TokenStore}). A request
 * with one of ours carries the token's scope on to the handler ({@link #scopeOfThisRequest}). Probes and CORS
 * preflights (browsers send them without credentials) stay open. Tokens are never logged.
 */
final class BearerAuth extends Filter {

    /**
     * The scope of the request this thread handles: the JDK server runs a request's filters and handler on one
     * thread. (Exchange attributes live in the context, shared by every request, so they would mix scopes.)
     */
    private static final ThreadLocal<NamespacePolicy> SCOPE = new ThreadLocal<>();

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
        NamespacePolicy scope = scope(exchange.getRequestHeaders().getFirst("Authorization"));
        if (scope != null) {
            SCOPE.set(scope);
            try {
                chain.doFilter(exchange);
            } finally {
                SCOPE.remove();
            }
            return;
        }
        try (exchange) {
            Responses.error(exchange, new HttpError(401, "Unauthorized",
                    "send Authorization: Bearer <token> with one of the gateway's tokens (AUTH_TOKENS)", List.of(),
                    Map.of("WWW-Authenticate", "Bearer realm=\"aws-cloudwatch-metrics-http-gateway\"")));
        }
    }

    /** The namespaces the token of this thread's request may write; null when tokens are off or none was needed. */
    static NamespacePolicy scopeOfThisRequest() {
        return SCOPE.get();
    }

    private NamespacePolicy scope(String authorization) {
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
