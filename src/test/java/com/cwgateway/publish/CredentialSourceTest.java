package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.useragent.BusinessMetricFeatureId;

@Timeout(30)
class CredentialSourceTest {

    @Test
    void codesAreSaidInWordsAndChainsReadInOrder() {
        assertEquals("environment variables (AWS_ACCESS_KEY_ID)", CredentialSource.describe("g"));
        assertEquals("a profile in ~/.aws (AWS_PROFILE) via a profile's named credential source",
                CredentialSource.describe("n,p"));
        assertEquals("XY", CredentialSource.describe("XY"), "a code this table does not know is shown as it is");
    }

    /** The SDK's own table is internal API, so the gateway keeps its own: this keeps them in step. */
    @Test
    void everyCredentialCodeOfTheSdkIsInTheTable() {
        Map<String, String> sdk = new TreeMap<>();
        for (BusinessMetricFeatureId feature : BusinessMetricFeatureId.values()) {
            if (feature.name().startsWith("CREDENTIALS_")) {
                sdk.put(feature.value(), feature.name());
            }
        }
        assertEquals(sdk.keySet(), new TreeMap<>(CredentialSource.BY_CODE).keySet(), "SDK codes: " + sdk);
    }
}
