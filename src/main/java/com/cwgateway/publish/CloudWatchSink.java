package com.cwgateway.publish;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.DatumFields;
import com.cwgateway.metric.MetricValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/**
 * Publishes chunks to CloudWatch with one shared SDK client. Region, credentials and endpoint come from the
 * SDK's standard chains ({@code AWS_REGION}, keys, profiles, container and instance roles,
 * {@code AWS_ENDPOINT_URL_CLOUDWATCH}); the HTTP client is the SDK's small URL-connection one, since the
 * flusher makes one call at a time.
 */
public final class CloudWatchSink implements MetricSink {

    private static final Logger LOG = Logger.getLogger(CloudWatchSink.class.getName());

    private final CloudWatchClient client;
    /** Whether the client runs the {@link AttemptTracker} itself; if not, each request adds it. */
    private final boolean tracksAttempts;

    /** A client from {@link #clientBuilder} tracks attempts; with any other, each request adds it (a few ms a call). */
    public CloudWatchSink(CloudWatchClient client) {
        this.client = client;
        this.tracksAttempts = client.serviceClientConfiguration().overrideConfiguration().executionInterceptors()
                .contains(AttemptTracker.INSTANCE);
    }

    /**
     * The region from the SDK's default chain, found before the gateway listens, so that a gateway without one
     * exits before it takes any data; throws {@link SdkClientException} when there is none.
     */
    public static Region defaultRegion() {
        return new DefaultAwsRegionProviderChain().getRegion();
    }

    /** A sink in {@code region} whose client takes credentials and endpoint from the SDK's default chains. */
    public static CloudWatchSink fromDefaultChains(Duration callTimeout, Region region) {
        return new CloudWatchSink(clientBuilder(callTimeout).region(region).build());
    }

    /**
     * The gateway's client: {@code callTimeout} bounds a call with its retries (standard mode, 3 attempts), a third
     * of it each attempt. A timed-out attempt may still have been stored and its retry stores the chunk again:
     * with the default 15 s, answers within 5 s make no copy.
     */
    public static CloudWatchClientBuilder clientBuilder(Duration callTimeout) {
        Duration attemptTimeout = callTimeout.dividedBy(3);
        return CloudWatchClient.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(attemptTimeout)
                        .socketTimeout(attemptTimeout)
                        .build())
                .overrideConfiguration(override -> override
                        .addExecutionInterceptor(AttemptTracker.INSTANCE)
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(attemptTimeout));
    }

    @Override
    public Published publish(String namespace, List<Datum> chunk, Duration timeLimit) throws PublishException {
        AttemptTracker.Attempts attempts = new AttemptTracker.Attempts();
        PutMetricDataRequest request = PutMetricDataRequest.builder()
                .namespace(namespace)
                .metricData(toSdk(chunk))
                .overrideConfiguration(override -> {
                    override.apiCallTimeout(timeLimit);
                    attempts.attachTo(override);
                    if (!tracksAttempts) {
                        override.addPlugin(AttemptTracker.PER_REQUEST);
                    }
                })
                .build();
        long started = System.nanoTime();
        try {
            client.putMetricData(request);
        } catch (SdkException e) {
            if (!attempts.stored()) {
                throw failure(e, chunk.size(), attempts.unknown());
            }
            // CloudWatch said it stored the chunk, and the call failed reading the rest of that answer: sending
            // the chunk again would store it again.
            LOG.log(Level.FINE, "PutMetricData namespace=" + namespace + " was answered with success, then failed", e);
        }
        Published published = new Published(attempts.extraCopies());
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("PutMetricData namespace=" + namespace + " datums=" + chunk.size() + " took "
                    + (System.nanoTime() - started) / 1_000_000 + " ms, unanswered attempts before it "
                    + published.unknownAttempts());
        }
        return published;
    }

    /** Error codes that mean the credentials, not the data, are the problem. */
    private static final Set<String> CREDENTIAL_CODES = Set.of("AccessDenied", "AccessDeniedException",
            "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
            "SignatureDoesNotMatch", "IncompleteSignature", "MissingAuthenticationToken", "InvalidSignatureException",
            "NotAuthorized");

    /**
     * What a failed call means for its chunk: after an unanswered attempt the chunk may be stored, so the failure is
     * {@link PublishException.Kind#UNKNOWN_OUTCOME} whatever ended the call, unless CloudWatch refused the data.
     */
    private static PublishException failure(SdkException e, int datums, int unknownAttempts) {
        PublishException failure = classify(e, datums);
        if (unknownAttempts == 0 || failure.kind() == PublishException.Kind.REJECTED) {
            return failure;
        }
        return PublishException.unknownOutcome(failure.errorCode(), failure.getMessage() + " (" + unknownAttempts
                + (unknownAttempts == 1 ? " attempt" : " attempts") + " got no answer after sending, and may have"
                + " been stored)", e, unknownAttempts);
    }

    private static PublishException classify(SdkException e, int datums) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null
                    ? service.awsErrorDetails().errorCode() : "HTTP" + service.statusCode();
            String message = service.awsErrorDetails() != null && service.awsErrorDetails().errorMessage() != null
                    ? service.awsErrorDetails().errorMessage() : service.getMessage();
            if (service.isThrottlingException() || service.statusCode() >= 500) {
                return new PublishException(code, PublishException.Kind.TRANSIENT, message, e);
            }
            if (service.statusCode() == 401 || service.statusCode() == 403 || CREDENTIAL_CODES.contains(code)) {
                return new PublishException(code, PublishException.Kind.CREDENTIALS, message, e);
            }
            return PublishException.rejected(code, message, e, datums,
                    service.statusCode() == 413 || code.equals("RequestEntityTooLarge"));
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new PublishException("Timeout", PublishException.Kind.TRANSIENT, e.getMessage(), e);
        }
        if (e.getMessage() != null && e.getMessage().contains("Unable to load credentials")) {
            return new PublishException("NoCredentials", PublishException.Kind.CREDENTIALS, e.getMessage(), e);
        }
        return new PublishException("ClientError", PublishException.Kind.TRANSIENT, e.getMessage(), e);
    }

    static List<MetricDatum> toSdk(List<Datum> chunk) {
        return chunk.stream().map(CloudWatchSink::toSdk).toList();
    }

    private static MetricDatum toSdk(Datum datum) {
        MetricDatum.Builder builder = MetricDatum.builder();
        datum.walk(new SdkFields(builder));
        return builder.build();
    }

    /** A datum's fields set on the SDK's builder. */
    private record SdkFields(MetricDatum.Builder builder) implements DatumFields<RuntimeException> {

        @Override
        public void metricName(String name) {
            builder.metricName(name);
        }

        @Override
        public void dimensions(List<com.cwgateway.metric.Dimension> dimensions) {
            builder.dimensions(dimensions.stream()
                    .map(d -> Dimension.builder().name(d.name()).value(d.value()).build())
                    .toList());
        }

        @Override
        public void value(double value) {
            builder.value(value);
        }

        @Override
        public void values(double[] values, double[] counts) {
            builder.values(boxed(values));
            if (counts != null) {
                builder.counts(boxed(counts));
            }
        }

        @Override
        public void statistics(MetricValue.Statistics statistics) {
            builder.statisticValues(StatisticSet.builder()
                    .sampleCount(statistics.sampleCount())
                    .sum(statistics.sum())
                    .minimum(statistics.minimum())
                    .maximum(statistics.maximum())
                    .build());
        }

        @Override
        public void unit(String unit) {
            builder.unit(unit);
        }

        @Override
        public void storageResolution(int resolution) {
            builder.storageResolution(resolution);
        }

        @Override
        public void timestamp(long epochMillis) {
            builder.timestamp(Instant.ofEpochMilli(epochMillis));
        }
    }

    private static List<Double> boxed(double[] numbers) {
        return Arrays.stream(numbers).boxed().toList();
    }

    @Override
    public String describe() {
        var configuration = client.serviceClientConfiguration();
        return "cloudwatch (region " + configuration.region() + ", endpoint "
                + configuration.endpointOverride().map(Object::toString).orElse("the region's default") + ")";
    }

    /**
     * Resolves credentials as the first call will and logs their source (never the keys), or warns with the fix.
     * Resolving may ask a metadata endpoint, so it runs after start-up, off the request path.
     */
    @Override
    public void selfCheck() {
        try {
            var identity = client.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            LOG.info("AWS credentials: found in " + identity.providerName().map(CredentialSource::describe)
                    .orElse("the default chain"));
        } catch (RuntimeException e) {
            LOG.warning("AWS credentials: none found. The SDK's default chain looked at AWS_ACCESS_KEY_ID/"
                    + "AWS_SECRET_ACCESS_KEY, web identity (AWS_WEB_IDENTITY_TOKEN_FILE), the profile "
                    + "(AWS_PROFILE, ~/.aws), the container role and the instance role. Set one of them; until "
                    + "then every flush fails and accepted data stays buffered.");
            LOG.log(Level.FINE, "credential chain details", e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
