package com.cwgateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.TestCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** PEM pairs as certbot and cert-manager write them load; other key forms are refused with the fix. */
@Timeout(60)
class TlsPairTest {

    @TempDir
    Path dir;

    @Test
    void anEcAndAnRsaPairLoadAndAKeyOfAnotherPairIsRefused() throws Exception {
        TestCertificate ec = TestCertificate.make(dir, "ec", "EC");
        TestCertificate rsa = TestCertificate.make(dir, "rsa", "RSA");

        assertEquals(ec.certificate(), load(ec.certPem(), ec.keyPem()).chain().getFirst());
        assertEquals("RSA", load(rsa.certPem(), rsa.keyPem()).key().getAlgorithm());
        TlsPair.Unusable mixed = assertThrows(TlsPair.Unusable.class, () -> load(ec.certPem(), rsa.keyPem()));
        assertTrue(mixed.getMessage().contains("is not the key of the first certificate"), mixed.getMessage());
    }

    @Test
    void aKeyInAnotherFormSaysHowToConvertIt() throws Exception {
        TestCertificate ec = TestCertificate.make(dir, "ec", "EC");
        Path traditional = dir.resolve("traditional.pem");
        Files.writeString(traditional, "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n");

        TlsPair.Unusable refused = assertThrows(TlsPair.Unusable.class,
                () -> load(ec.certPem(), traditional));

        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + traditional), refused.getMessage());
    }

    private static TlsPair load(Path certFile, Path keyFile) throws Exception {
        return TlsPair.of(Files.readAllBytes(certFile), certFile, Files.readAllBytes(keyFile), keyFile);
    }
}
