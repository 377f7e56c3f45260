package com.cwgateway.http;

import com.cwgateway.config.AuthToken;
import com.cwgateway.config.TokenFile;
import com.cwgateway.ingest.NamespacePolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The bearer tokens in force, each with the namespaces it may write: those of {@code AUTH_TOKENS}, and those of
 * {@code AUTH_TOKENS_FILE}, which is read again when its content changes (looked at every {@link #CHECK_EVERY}),
 * so tokens rotate without a restart. A file that cannot be read or has a bad line keeps the tokens in force,
 * with a SEVERE line saying why. Tokens are held as SHA-256 digests and compared in constant time.
 */
final class TokenStore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TokenStore.class.getName());
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    /** What a token may do: the namespaces it may write (an empty policy: all the gateway allows). */
    record Scope(NamespacePolicy namespaces, List<String> patterns) {}

    private record Entry(byte[] digest, Scope scope) {}

    private final List<Entry> fixed;
    private final Path file;
    private volatile List<Entry> entries;
    private byte[] fileContent;
    private String lastProblem;
    private ScheduledExecutorService watcher;

    /** Tokens of AUTH_TOKENS, and of {@code file} (null when there is none), which is read now. */
    TokenStore(List<AuthToken> tokens, Path file) throws IOException {
        this.fixed = entries(tokens);
        this.file = file;
        this.entries = fixed;
        if (file != null) {
            byte[] content = Files.readAllBytes(file);
            use(TokenFile.read(file), content);
            watcher = Executors.newSingleThreadScheduledExecutor(
                    task -> Thread.ofPlatform().daemon().name("auth-tokens-file").unstarted(task));
            watcher.scheduleWithFixedDelay(this::reloadIfChanged, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The scope of {@code token}, or null when it is none of ours. Looks at every token, whatever matches. */
    Scope find(String token) {
        byte[] presented = digest(token);
        Scope found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.scope();
            }
        }
        return found;
    }

    /**
     * Reads the file again when its bytes changed; keeps the tokens in force when it cannot be used: unreadable,
     * not UTF-8, a bad line, or no token at all (as a file caught while it is rewritten in place would be; to
     * turn tokens off, unset AUTH_TOKENS_FILE). Each problem is logged once, not at every check.
     */
    void reloadIfChanged() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            problem("cannot be read (" + e + ")");
            return;
        }
        if (Arrays.equals(content, fileContent)) {
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
            List<AuthToken> tokens = TokenFile.parse(text);
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("it holds no token");
            }
            use(tokens, content);
            lastProblem = null;
            LOG.info("AUTH_TOKENS_FILE " + file + " changed: " + tokens.size() + " tokens from it in force now");
        } catch (CharacterCodingException e) {
            problem("changed and cannot be used (it is not UTF-8 text)");
        } catch (IllegalArgumentException e) {
            problem("changed and cannot be used (" + e.getMessage() + ")");
        }
    }

    /** Logs a problem with the file once, however many checks find it. */
    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            lastProblem = what;
            LOG.severe("AUTH_TOKENS_FILE " + file + " " + what + "; the tokens in force stay");
        }
    }

    private void use(List<AuthToken> fromFile, byte[] content) {
        List<Entry> all = new ArrayList<>(fixed);
        all.addAll(entries(fromFile));
        entries = List.copyOf(all);
        fileContent = content;
    }

    private static List<Entry> entries(List<AuthToken> tokens) {
        return tokens.stream().map(token -> new Entry(digest(token.token()),
                new Scope(new NamespacePolicy(token.namespaces()), token.namespaces()))).toList();
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
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
