package com.cwgateway.publish;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names the source that resolved AWS credentials: the SDK reports it as user-agent "business metrics" codes
 * ("g" for environment variables, "0" for the instance role), which this table says in words. (The SDK's own
 * table is internal API; a test checks this one against it.)
 */
final class CredentialSource {

    static final Map<String, String> BY_CODE = Map.ofEntries(
            Map.entry("e", "credentials in code"),
            Map.entry("f", "JVM system properties (aws.accessKeyId)"),
            Map.entry("g", "environment variables (AWS_ACCESS_KEY_ID)"),
            Map.entry("h", "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, e.g. IRSA)"),
            Map.entry("i", "an assumed role (STS AssumeRole)"),
            Map.entry("j", "an assumed role (STS AssumeRoleWithSAML)"),
            Map.entry("k", "an assumed role (STS AssumeRoleWithWebIdentity)"),
            Map.entry("l", "a federation token (STS)"),
            Map.entry("m", "a session token (STS)"),
            Map.entry("n", "a profile in ~/.aws (AWS_PROFILE)"),
            Map.entry("o", "a profile's source profile"),
            Map.entry("p", "a profile's named credential source"),
            Map.entry("q", "a profile's web identity token"),
            Map.entry("r", "a profile's SSO session"),
            Map.entry("s", "SSO"),
            Map.entry("t", "a profile's legacy SSO"),
            Map.entry("u", "legacy SSO"),
            Map.entry("v", "a profile's credential process"),
            Map.entry("w", "a credential process"),
            Map.entry("z", "the container role (ECS/EKS credentials endpoint)"),
            Map.entry("0", "the EC2 instance role (instance metadata)"),
            Map.entry("AC", "a profile's console login"),
            Map.entry("AD", "a console login"));

    private CredentialSource() {}

    /** The provider name the SDK reports ({@code "n,p"}): each code in words, joined by "via". */
    static String describe(String providerName) {
        return Arrays.stream(providerName.split(",")).map(String::trim).map(code -> BY_CODE.getOrDefault(code, code))
                .collect(Collectors.joining(" via "));
    }
}
