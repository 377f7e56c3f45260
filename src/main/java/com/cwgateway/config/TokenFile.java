package com.cwgateway.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code AUTH_TOKENS_FILE}: one token a line, optionally followed by the namespaces it may write, separated by
 * commas ({@code <token> Web/*,Shop}); blank lines and lines starting with {@code #} are skipped.
 */
public final class TokenFile {

    /** Shorter tokens can be guessed. */
    static final int MIN_TOKEN_LENGTH = 16;

    private TokenFile() {}

    /** The tokens of {@code file}; throws IllegalArgumentException naming the first bad line (not its token). */
    public static List<AuthToken> read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    /** The tokens of a file's text; throws as {@link #read} does. */
    public static List<AuthToken> parse(String text) {
        List<AuthToken> tokens = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+", 2);
            if (fields[0].length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("line " + number + ": a token must have at least "
                        + MIN_TOKEN_LENGTH + " characters");
            }
            List<String> namespaces = fields.length == 1 ? List.of() : Setting.commaSeparated(fields[1]);
            for (String namespace : namespaces) {
                if (namespace.contains(" ") || (namespace.contains("*") && !namespace.endsWith("/*"))
                        || namespace.indexOf('*') != namespace.lastIndexOf('*')) {
                    throw new IllegalArgumentException("line " + number + ": '" + namespace + "' is not a namespace"
                            + " or a Prefix/* pattern");
                }
            }
            tokens.add(new AuthToken(fields[0], namespaces));
        }
        return List.copyOf(tokens);
    }
}
