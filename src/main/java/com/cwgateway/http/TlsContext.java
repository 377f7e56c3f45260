package com.cwgateway.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * TLS 1.2 and 1.3 for the listener ({@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}, optional {@code TLS_CLIENT_CA_FILE}).
 * Renewed files ({@link FileWatch}) hold for new connections (a pair) or every request (client CAs, {@link #trusts});
 * files that cannot be used (say a key renewed before its certificate) keep what is in force, with a SEVERE line.
 */
final class TlsContext implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TlsContext.class.getName());
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** The session value: the renewal of the client CAs the session was checked against. */
    private static final String CHECKED_AT = "com.cwgateway.client-ca-generation";

    private final Path certFile;
    private final Path keyFile;
    private final RenewingKeyManager keys;
    private final SSLContext context;
    private final RenewingTrustManager clientAuthorities;
    private final List<FileWatch> watches = new ArrayList<>();

    /** Reads the files; throws when they cannot be used, so the gateway does not start without its TLS. */
    TlsContext(Path certFile, Path keyFile, Path clientCaFile) throws TlsPair.Unusable {
        this.certFile = certFile;
        this.keyFile = keyFile;
        List<byte[]> pair = read(List.of(certFile, keyFile),
                "TLS_CERT_FILE " + certFile + " or TLS_KEY_FILE " + keyFile);
        this.keys = new RenewingKeyManager(TlsPair.of(pair.get(0), certFile, pair.get(1), keyFile));
        List<byte[]> authorities = clientCaFile == null ? null
                : read(List.of(clientCaFile), "TLS_CLIENT_CA_FILE " + clientCaFile);
        this.clientAuthorities = authorities == null ? null
                : new RenewingTrustManager(trust(authorities.getFirst(), clientCaFile));
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, clientAuthorities == null ? null
                    : new TrustManager[] {clientAuthorities}, null);
        } catch (GeneralSecurityException e) {
            throw new TlsPair.Unusable("TLS cannot be set up: " + e.getMessage());
        }
        // A file that cannot be read is mid-rotation: the next check looks again.
        watches.add(new FileWatch("tls-files", List.of(certFile, keyFile), pair, this::renew, unreadable -> { }));
        if (clientCaFile != null) {
            watches.add(new FileWatch("tls-client-ca", List.of(clientCaFile), authorities,
                    files -> renewAuthorities(files.getFirst(), clientCaFile), unreadable -> { }));
        }
    }

    private static List<byte[]> read(List<Path> files, String settings) throws TlsPair.Unusable {
        try {
            return FileWatch.read(files);
        } catch (IOException e) {
            throw new TlsPair.Unusable(settings + " cannot be read: " + e.getMessage());
        }
    }

    /** Sets up each connection: the protocols, and client certificates when a client CA is given. */
    HttpsConfigurator configurator() {
        return new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setProtocols(PROTOCOLS);
                ssl.setNeedClientAuth(clientAuthorities != null);
                parameters.setSSLParameters(ssl);
            }
        };
    }

    private void renew(List<byte[]> files) {
        try {
            TlsPair pair = TlsPair.of(files.get(0), certFile, files.get(1), keyFile); // what was read, not again
            keys.use(pair);
            LOG.info("TLS certificate renewed: " + describe(pair) + "; new connections get it");
        } catch (TlsPair.Unusable e) {
            LOG.severe("TLS files changed and cannot be used (" + e.getMessage() + "); the certificate in force ("
                    + describe(keys.current.pair()) + ") stays");
        }
    }

    /** The pair's certificate: its subject and when it expires. */
    private static String describe(TlsPair pair) {
        X509Certificate certificate = pair.chain().getFirst();
        return certificate.getSubjectX500Principal().getName() + ", valid until "
                + certificate.getNotAfter().toInstant();
    }

    private void renewAuthorities(byte[] file, Path clientCaFile) {
        try {
            clientAuthorities.use(trust(file, clientCaFile));
            LOG.info("TLS client CAs renewed from " + clientCaFile + "; every request is checked against them from "
                    + "now on, on open and resumed sessions too");
        } catch (TlsPair.Unusable e) {
            LOG.severe("TLS_CLIENT_CA_FILE changed and cannot be used (" + e.getMessage() + "); the CAs in force stay");
        }
    }

    /** A trust manager for the CA certificates in {@code file}'s bytes. */
    private static X509ExtendedTrustManager trust(byte[] file, Path clientCaFile) throws TlsPair.Unusable {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<X509Certificate> authorities = TlsPair.certificates(file, clientCaFile);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, authorities.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsPair.Unusable("TLS_CLIENT_CA_FILE " + clientCaFile + " cannot be used: " + e.getMessage());
        }
    }

    /** Whether client certificates are required ({@code TLS_CLIENT_CA_FILE}). */
    boolean clientCertificates() {
        return clientAuthorities != null;
    }

    /**
     * Whether the CAs in force trust the client of {@code session}. The JDK checks neither a resumed session nor
     * an open connection again, so a CA taken out of TLS_CLIENT_CA_FILE would still let its devices in. Checked
     * once per session and CA renewal; the answer is kept in the session.
     */
    boolean trusts(SSLSession session) {
        int generation = clientAuthorities.generation;
        if (Integer.valueOf(generation).equals(session.getValue(CHECKED_AT))) {
            return true;
        }
        try {
            X509Certificate[] chain = (X509Certificate[]) session.getPeerCertificates();
            clientAuthorities.checkClientTrusted(chain, "UNKNOWN");
            session.putValue(CHECKED_AT, generation);
            return true;
        } catch (SSLPeerUnverifiedException | CertificateException | ClassCastException e) {
            return false;
        }
    }

    @Override
    public void close() {
        watches.forEach(FileWatch::close);
    }

    /** Checks client certificates against the CAs in force: handshakes directly, sessions through {@link #trusts}. */
    private static final class RenewingTrustManager extends X509ExtendedTrustManager {

        private volatile X509ExtendedTrustManager current;
        /** How many times the CAs were renewed: what a session was checked against. */
        private volatile int generation;

        RenewingTrustManager(X509ExtendedTrustManager first) {
            this.current = first;
        }

        synchronized void use(X509ExtendedTrustManager renewed) {
            current = renewed;
            generation++;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            current.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            current.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            current.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return current.getAcceptedIssuers();
        }

        // The listener only checks clients.
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a client");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a client");
        }
    }

    /**
     * Serves the pair in force. A handshake asks for the alias, then the chain and key by it; each pair has an
     * alias of its own, so a renewal between those calls cannot mix two pairs.
     */
    private static final class RenewingKeyManager extends X509ExtendedKeyManager {

        private record Numbered(String alias, TlsPair pair) {}

        private volatile Numbered current;
        private volatile Numbered previous;
        private int renewals;

        RenewingKeyManager(TlsPair pair) {
            this.current = new Numbered("gateway-0", pair);
        }

        synchronized void use(TlsPair pair) {
            previous = current;
            current = new Numbered("gateway-" + ++renewals, pair);
        }

        private TlsPair pair(String alias) {
            Numbered now = current;
            Numbered before = previous;
            return now.alias().equals(alias) ? now.pair() : before != null && before.alias().equals(alias)
                    ? before.pair() : null;
        }

        private String alias(String keyType) {
            Numbered now = current;
            return now.pair().key().getAlgorithm().equals(keyType) ? now.alias() : null;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return alias(keyType);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return alias(keyType);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            TlsPair pair = pair(alias);
            return pair == null ? null : pair.chain().toArray(X509Certificate[]::new);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            TlsPair pair = pair(alias);
            return pair == null ? null : pair.key();
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            String alias = alias(keyType);
            return alias == null ? null : new String[] {alias};
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
