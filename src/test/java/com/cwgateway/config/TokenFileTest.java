package com.cwgateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** AUTH_TOKENS_FILE's lines: a token, and the namespaces it may write; a bad line is named, its token never. */
@Timeout(10)
class TokenFileTest {

    @Test
    void tokensWithAndWithoutTheirNamespaces() {
        List<AuthToken> tokens = TokenFile.parse("""
                # a comment, then a blank line

                public-page-token-0123456789 Web/*, Shop
                service-token-0123456789abc
                  padded-token-0123456789abc\tBilling\r
                """);

        assertEquals(List.of(new AuthToken("public-page-token-0123456789", List.of("Web/*", "Shop")),
                new AuthToken("service-token-0123456789abc", List.of()),
                new AuthToken("padded-token-0123456789abc", List.of("Billing"))), tokens);
    }

    @Test
    void aBadLineIsNamedWithoutItsToken() {
        IllegalArgumentException shortToken = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("good-token-0123456789abc\nshort-secret Web\n"));
        assertTrue(shortToken.getMessage().startsWith("line 2:"), shortToken.getMessage());
        assertFalse(shortToken.getMessage().contains("short-secret"), shortToken.getMessage());

        IllegalArgumentException pattern = assertThrows(IllegalArgumentException.class,
                () -> TokenFile.parse("good-token-0123456789abc We*b\n"));
        assertTrue(pattern.getMessage().contains("'We*b'"), pattern.getMessage());
    }
}
