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
 * Tells, per PutMetricData call, how many of its attempts reached CloudWatch and got no answer: an attempt that
 * timed out, or whose connection dropped, after its request went out may have been stored, and the SDK's retry
 * then stores the chunk again.
 *
 * <p>An SDK interceptor: {@code beforeTransmission} starts an attempt, {@code afterTransmission} marks it answered
 * (any status, 5xx and 429 included: an answer is a known outcome) once the status line and headers are in; the
 * body is read later, so a timeout can still end an attempt whose answer said "stored", and the SDK retries it. Whether the request of an attempt went out at
 * all is told by the request body, which the interceptor wraps: the HTTP client opens it only once it is connected
 * (the URL-connection client calls {@code connect()}, then writes the body), so an attempt whose connection was
 * refused, or whose connect timed out, never opens it and is known not to have been stored. The signer and the
 * compression stage open the body too, before transmission; an opening counts only when an HTTP client's
 * {@link ExecutableHttpRequest#call()} is on the stack.
 *
 * <p>The state of a call ({@link Attempts}) travels in the request's execution attributes. Every hook, and the HTTP
 * client's reading of the body, runs on the thread that called the sync client (checked against SDK 2.57: only the
 * attempt timeout fires on an SDK timer thread, and it just aborts the exchange), so {@link Attempts} is confined
 * to that thread.
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

        /**
         * Whether CloudWatch answered an attempt with a success status: the chunk is stored, even when reading
         * the rest of that answer then failed and the call went on to retry or throw.
         */
        boolean stored() {
            endAttempt();
            return stored > 0;
        }

        /** How many attempts went out and got no answer (none was heard, so each may or may not be stored). */
        int unknown() {
            endAttempt();
            return unknown;
        }

        /**
         * How many copies beyond one CloudWatch may hold, once the call has ended with the chunk stored: every
         * attempt that got no answer, and every success answer but one (a success whose reading failed, then
         * retried).
         */
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
        Attempts attempts = executionAttributes.getAttribute(ATTEMPTS);
        if (attempts != null) {
            attempts.transmitting();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes executionAttributes) {
        Attempts attempts = executionAttributes.getAttribute(ATTEMPTS);
        if (attempts != null) {
            attempts.answered(context.httpResponse().isSuccessful());
        }
    }

    private static boolean openedByHttpClient() {
        return STACK.walk(frames -> frames.anyMatch(
                frame -> ExecutableHttpRequest.class.isAssignableFrom(frame.getDeclaringClass())));
    }
}
