package com.cwgateway.http;

import com.cwgateway.config.AuthToken;
import com.cwgateway.config.TokenFile;
import com.cwgateway.ingest.NamespacePolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The bearer tokens in force, each with the namespaces it may write: those of {@code AUTH_TOKENS}, and those of
 * {@code AUTH_TOKENS_FILE}, read again when it changes ({@link FileWatch}); a file that cannot be used keeps the
 * tokens in force, with a SEVERE line. Held as SHA-256 digests, compared in constant time against every token,
 * so the time taken says nothing about how much of a guess was right.
 */
final class TokenStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TokenStore.class.getName());

    /** A token: its digest, and the namespaces it may write (an empty policy: all the gateway allows). */
    private record Entry(byte[] digest, NamespacePolicy scope) {}

    private final List<Entry> fixed;
    private final Path file;
    private volatile List<Entry> entries;
    private String lastProblem;
    private FileWatch watch;

    /** Tokens of AUTH_TOKENS, and of {@code file} (null when there is none), which is read now. */
    TokenStore(List<AuthToken> tokens, Path file) throws IOException {
        this.fixed = entries(tokens);
        this.file = file;
        this.entries = fixed;
        if (file != null) {
            List<byte[]> content = FileWatch.read(List.of(file));
            use(tokens(content.getFirst()));
            watch = new FileWatch("auth-tokens-file", List.of(file), content, changed -> reload(changed.getFirst()),
                    unreadable -> problem("cannot be read (" + unreadable + ")"));
        }
    }

    /** The namespaces {@code token} may write, or null when it is none of ours. Looks at every token. */
    NamespacePolicy find(String token) {
        byte[] presented = digest(token);
        NamespacePolicy found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.scope();
            }
        }
        return found;
    }

    /**
     * The file's new bytes, kept out when not UTF-8, with a bad line, or with no token at all (as a file caught
     * while it is rewritten in place would be; to turn tokens off, unset AUTH_TOKENS_FILE).
     */
    private void reload(byte[] content) {
        try {
            List<AuthToken> tokens = tokens(content);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("it holds no token");
            }
            use(tokens);
            lastProblem = null;
            LOG.info("AUTH_TOKENS_FILE " + file + " changed: " + tokens.size() + " tokens from it in force now");
        } catch (CharacterCodingException e) {
            problem("changed and cannot be used (it is not UTF-8 text)");
        } catch (IllegalArgumentException e) {
            problem("changed and cannot be used (" + e.getMessage() + ")");
        }
    }

    /** The tokens of the file's bytes, decoded strictly (as the check at start reads it). */
    private static List<AuthToken> tokens(byte[] content) throws CharacterCodingException {
        return TokenFile.parse(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString());
    }

    /** Logs a problem with the file once, however many checks find it. */
    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            lastProblem = what;
            LOG.severe("AUTH_TOKENS_FILE " + file + " " + what + "; the tokens in force stay");
        }
    }

    private void use(List<AuthToken> fromFile) {
        List<Entry> all = new ArrayList<>(fixed);
        all.addAll(entries(fromFile));
        entries = List.copyOf(all);
    }

    private static List<Entry> entries(List<AuthToken> tokens) {
        return tokens.stream().map(token -> new Entry(digest(token.token()),
                new NamespacePolicy(token.namespaces()))).toList();
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
    }
}
