package com.cwgateway.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A certificate chain (the server's first) and its RSA or EC key in PKCS#8, from PEM files as certbot and
 * cert-manager write them. The key must match the first certificate, so a pair caught halfway through a
 * renewal (new certificate, old key) is refused rather than served.
 */
record TlsPair(List<X509Certificate> chain, PrivateKey key) {

    /** Why files cannot be used, in words for the operator, with the fix when there is one. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** The pair in {@code certBytes} and {@code keyBytes}, as read from the files named (for messages). */
    static TlsPair of(byte[] certBytes, Path certFile, byte[] keyBytes, Path keyFile) throws Unusable {
        List<X509Certificate> chain = certificates(certBytes, certFile);
        PrivateKey key = key(new String(keyBytes, StandardCharsets.US_ASCII), keyFile);
        if (!matches(chain.getFirst(), key)) {
            throw new Unusable("TLS_KEY_FILE " + keyFile + " is not the key of the first certificate in "
                    + "TLS_CERT_FILE " + certFile);
        }
        return new TlsPair(chain, key);
    }

    /** Every certificate of a PEM file's bytes, in order; the CAs' for a client CA file. */
    static List<X509Certificate> certificates(byte[] bytes, Path file) throws Unusable {
        try {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).stream()
                    .map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new Unusable(file + " holds no certificate (-----BEGIN CERTIFICATE-----)");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new Unusable(file + " is not a PEM certificate chain: " + e.getMessage());
        }
    }

    private static PrivateKey key(String text, Path file) throws Unusable {
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = text.indexOf(begin);
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < start) {
            throw new Unusable(file + " is not a PKCS#8 private key (-----BEGIN PRIVATE KEY-----)"
                    + (text.contains("-----BEGIN ") ? "; convert it with: openssl pkcs8 -topk8 -nocrypt -in "
                    + file + " -out key-pkcs8.pem" : ""));
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(start + begin.length(), end));
        } catch (IllegalArgumentException e) {
            throw new Unusable(file + " has a private key that is not valid base64");
        }
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new Unusable(file + " holds a key that is neither RSA nor EC");
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
