package com.cwgateway.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.useragent.BusinessMetricFeatureId;

/**
 * Names the source that resolved AWS credentials. The SDK reports it as short feature codes ("g" for
 * environment variables, "0" for the instance role), which say nothing to an operator; they are
 * translated through the SDK's own table of codes.
 */
final class CredentialSource {

    private static final Map<String, String> FRIENDLY = Map.of(
            "CREDENTIALS_ENV_VARS", "environment variables (AWS_ACCESS_KEY_ID)",
            "CREDENTIALS_JVM_SYSTEM_PROPERTIES", "JVM system properties (aws.accessKeyId)",
            "CREDENTIALS_PROFILE", "a profile in ~/.aws (AWS_PROFILE)",
            "CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN", "a web identity token (AWS_WEB_IDENTITY_TOKEN_FILE, e.g. IRSA)",
            "CREDENTIALS_HTTP", "the container role (ECS/EKS credentials endpoint)",
            "CREDENTIALS_IMDS", "the EC2 instance role (instance metadata)");

    private CredentialSource() {}

    static String describe(String providerName) {
        List<String> sources = new ArrayList<>();
        for (String code : providerName.split(",")) {
            sources.add(describeCode(code.trim()));
        }
        return String.join(" via ", sources);
    }

    private static String describeCode(String code) {
        for (BusinessMetricFeatureId feature : BusinessMetricFeatureId.values()) {
            if (feature.value().equals(code) && feature.name().startsWith("CREDENTIALS_")) {
                return FRIENDLY.getOrDefault(feature.name(),
                        feature.name().substring("CREDENTIALS_".length()).replace('_', ' ').toLowerCase(Locale.ROOT));
            }
        }
        return code;
    }
}
