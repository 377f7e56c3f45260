package com.cwgateway.publish;

import java.util.Optional;
import software.amazon.awssdk.core.RequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;

/**
 * Tells, per PutMetricData call, how many attempts reached CloudWatch and got no answer: such an attempt (timed
 * out, or its connection dropped, after the request went out) may have been stored, and the SDK's retry stores
 * the chunk again.
 *
 * <p>{@code beforeTransmission} starts an attempt; {@code afterTransmission} marks it answered (any status, 5xx
 * and 429 included) once the status line is in. The body is read later, so a timeout can still end an attempt
 * whose answer said "stored". An attempt's request went out only if the HTTP client opened the wrapped request
 * body, which it does once connected: an attempt whose connect failed was not stored. The signer and compression
 * open the body too, so an opening counts only with {@link ExecutableHttpRequest#call()} on the stack.
 *
 * <p>Every hook runs on the thread that called the sync client (SDK 2.57: only the attempt timeout fires on a
 * timer thread, and it just aborts), so {@link Attempts}, carried in the execution attributes, is confined to it.
 */
final class AttemptTracker implements ExecutionInterceptor {

    static final AttemptTracker INSTANCE = new AttemptTracker();

    /** Adds {@link #INSTANCE} to a single request of a client that was built without it. */
    static final SdkPlugin PER_REQUEST = config -> config.overrideConfiguration(
            config.overrideConfiguration().toBuilder().addExecutionInterceptor(INSTANCE).build());

    private static final ExecutionAttribute<Attempts> ATTEMPTS = new ExecutionAttribute<>("cwgateway.attempts");
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private AttemptTracker() {
    }

    /** The attempts of one call, as the interceptor sees them. */
    static final class Attempts {

        private boolean inFlight;
        private boolean sent;
        private boolean answered;
        private boolean answeredSuccess;
        private int unknown;
        private int stored;

        /** Puts this record of attempts on a request; the client must run {@link #INSTANCE}. */
        void attachTo(RequestOverrideConfiguration.Builder<?> request) {
            request.putExecutionAttribute(ATTEMPTS, this);
        }

        private void transmitting() {
            endAttempt();
            inFlight = true;
            sent = false;
            answered = false;
            answeredSuccess = false;
        }

        private void sending() {
            sent |= inFlight;
        }

        private void answered(boolean success) {
            answered = true;
            answeredSuccess = success;
        }

        private void endAttempt() {
            if (inFlight && sent && !answered) {
                unknown++;
            }
            if (inFlight && answeredSuccess) {
                stored++;
            }
            inFlight = false;
        }

        /** Whether an attempt was answered with success: the chunk is stored, even if reading that answer failed. */
        boolean stored() {
            endAttempt();
            return stored > 0;
        }

        /** How many attempts went out and got no answer (none was heard, so each may or may not be stored). */
        int unknown() {
            endAttempt();
            return unknown;
        }

        /** Copies beyond one CloudWatch may hold once the chunk is stored: unanswered attempts, extra successes. */
        int extraCopies() {
            endAttempt();
            return unknown + Math.max(stored, 1) - 1;
        }
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
                                                   ExecutionAttributes executionAttributes) {
        Attempts attempts = executionAttributes.getAttribute(ATTEMPTS);
        Optional<RequestBody> body = context.requestBody();
        if (attempts == null || body.isEmpty()) {
            return body;
        }
        ContentStreamProvider content = body.get().contentStreamProvider();
        ContentStreamProvider watched = () -> {
            if (openedByHttpClient()) {
                attempts.sending();
            }
            return content.newStream();
        };
        return Optional.of(body.get().optionalContentLength()
                .map(length -> RequestBody.fromContentProvider(watched, length, body.get().contentType()))
                .orElseGet(() -> RequestBody.fromContentProvider(watched, body.get().contentType())));
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        executionAttributes.getOptionalAttribute(ATTEMPTS).ifPresent(Attempts::transmitting);
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
        executionAttributes.getOptionalAttribute(ATTEMPTS)
                .ifPresent(attempts -> attempts.answered(context.httpResponse().isSuccessful()));
    }

    private static boolean openedByHttpClient() {
        return STACK.walk(frames -> frames.anyMatch(
                frame -> ExecutableHttpRequest.class.isAssignableFrom(frame.getDeclaringClass())));
    }
}
