package com.cwgateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made at test time with the JDK's {@code keytool} (for 127.0.0.1 and localhost), and
 * its files: the PKCS#12 store keytool wrote, and the certificate and its PKCS#8 key in PEM, as certbot and
 * cert-manager write them.
 */
public record TestCertificate(Path store, Path certPem, Path keyPem, X509Certificate certificate, PrivateKey key) {

    private static final char[] PASSWORD = "test-password".toCharArray();

    /** {@code keyAlgorithm}: EC (P-256) or RSA (2048 bits). */
    public static TestCertificate make(Path dir, String name, String keyAlgorithm) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", "key", "-keyalg", keyAlgorithm, "-dname", "CN=" + name, "-ext",
                "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        command.addAll(keyAlgorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        Process keytoolRun = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(keytoolRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keytoolRun.waitFor(60, TimeUnit.SECONDS) || keytoolRun.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        X509Certificate certificate = (X509Certificate) keys.getCertificate("key");
        PrivateKey key = (PrivateKey) keys.getKey("key", PASSWORD);
        Path certPem = dir.resolve(name + "-cert.pem");
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(certPem, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new TestCertificate(store, certPem, keyPem, certificate, key);
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A client context that trusts these certificates only, and presents {@code clientCertificate} if not null. */
    public static SSLContext clientTrusting(TestCertificate clientCertificate, TestCertificate... trusted)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (int i = 0; i < trusted.length; i++) {
            trust.setCertificateEntry("trusted-" + i, trusted[i].certificate());
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (clientCertificate != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(clientCertificate.store())) {
                keys.load(in, PASSWORD);
            }
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Copies this pair's PEM files over {@code certPem} and {@code keyPem} (a renewal as certbot does it). */
    public void installAs(Path certPemTarget, Path keyPemTarget) throws IOException {
        Files.copy(certPem, certPemTarget, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(keyPem, keyPemTarget, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
