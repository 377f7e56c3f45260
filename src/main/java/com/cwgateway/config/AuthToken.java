package com.cwgateway.config;

import java.util.List;

/**
 * A bearer token and the namespaces it may write, as exact names and {@code Prefix/*} patterns (the syntax of
 * {@code ALLOWED_NAMESPACES}); empty: every namespace the gateway allows.
 */
public record AuthToken(String token, List<String> namespaces) {

    public AuthToken {
        namespaces = List.copyOf(namespaces);
    }
}
