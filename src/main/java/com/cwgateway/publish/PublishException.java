package com.cwgateway.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chunk was not published. {@code errorCode} is CloudWatch's code ({@code Throttling},
 * {@code InvalidParameterValue}, ...) or the kind of local failure ({@code Timeout}, {@code ClientError}).
 */
public final class PublishException extends Exception {

    /** What a failure says about trying again. */
    public enum Kind {
        /** Throttling, 5xx, or no connection: nothing was stored, and the same chunk will go through later. */
        TRANSIENT,
        /**
         * As {@link #TRANSIENT}, but {@link #unknownAttempts()} attempts reached CloudWatch and got no answer
         * (timed out, or the connection dropped after the request was sent): CloudWatch may have stored the chunk,
         * so sending it again may store its points twice.
         */
        UNKNOWN_OUTCOME,
        /** Credentials missing, expired or not allowed (401/403): keep the data, and say so loudly. */
        CREDENTIALS,
        /**
         * CloudWatch refused the data itself (another 4xx): retrying the same chunk fails again. See
         * {@link #rejectedDatum()} and {@link #refusesWholeRequest()} for what it refused.
         */
        REJECTED
    }

    /**
     * A parameter that a CloudWatch error message names, in the Query protocol's path form: "for parameter
     * MetricData.member.3.Value", "The parameter Namespace is required", "The parameters MetricData.member.4.Value
     * and ...", "The collection MetricData must not have ...". What comes before (e.g. an echoed dimension value in
     * "The value X for parameter P") is not taken for a parameter.
     */
    private static final Pattern NAMED_PARAMETER = Pattern.compile("\\b(?:parameters?|collection) ([A-Za-z][\\w.]*\\w)");
    /** A datum's path, 1-based: "MetricData.member.3." followed by one of its fields. */
    private static final Pattern DATUM_PATH = Pattern.compile("MetricData\\.member\\.([1-9]\\d{0,8})\\.\\w.*");

    private final String errorCode;
    private final Kind kind;
    private final int unknownAttempts;
    private final int rejectedDatum;
    private final boolean refusesWholeRequest;

    public PublishException(String errorCode, Kind kind, String message, Throwable cause) {
        this(errorCode, kind, message, cause, 0, -1, false);
    }

    private PublishException(String errorCode, Kind kind, String message, Throwable cause, int unknownAttempts,
                             int rejectedDatum, boolean refusesWholeRequest) {
        super(message, cause);
        this.errorCode = errorCode;
        this.kind = kind;
        this.unknownAttempts = unknownAttempts;
        this.rejectedDatum = rejectedDatum;
        this.refusesWholeRequest = refusesWholeRequest;
    }

    /**
     * A call that failed after {@code unknownAttempts} (at least 1) of its attempts reached CloudWatch without an
     * answer; {@code errorCode} is that of the last failure ({@code Timeout}, {@code ClientError}, a 5xx code).
     */
    public static PublishException unknownOutcome(String errorCode, String message, Throwable cause,
                                                  int unknownAttempts) {
        if (unknownAttempts < 1) {
            throw new IllegalArgumentException("an unknown outcome needs at least one unanswered attempt");
        }
        return new PublishException(errorCode, Kind.UNKNOWN_OUTCOME, message, cause, unknownAttempts, -1, false);
    }

    /**
     * CloudWatch refused the data of a chunk of {@code datums} datums, or the request as a whole, with
     * {@code message}; what the message names is read from it (see {@link #rejectedDatum()}).
     *
     * @param tooLarge the request was refused for its size (413 {@code RequestEntityTooLarge}), which concerns the
     *                 whole request whatever the message says
     */
    public static PublishException rejected(String errorCode, String message, Throwable cause, int datums,
                                            boolean tooLarge) {
        int datum = -1;
        boolean wholeRequest = tooLarge;
        for (String parameter : namedParameters(message)) {
            Matcher path = DATUM_PATH.matcher(parameter);
            if (path.matches()) {
                int index = Integer.parseInt(path.group(1)) - 1;
                if (datum < 0 && index < datums) {
                    datum = index;
                }
            } else if (parameter.equals("Namespace") || parameter.equals("MetricData")) {
                wholeRequest = true;
            }
        }
        return new PublishException(errorCode, Kind.REJECTED, message, cause, 0, datum, wholeRequest);
    }

    private static List<String> namedParameters(String message) {
        if (message == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Matcher named = NAMED_PARAMETER.matcher(message);
        while (named.find()) {
            names.add(named.group(1));
        }
        return names;
    }

    public String errorCode() {
        return errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * For {@link Kind#UNKNOWN_OUTCOME}: how many attempts of the call reached CloudWatch and got no answer, each of
     * which may have stored the chunk. 0 for every other kind.
     */
    public int unknownAttempts() {
        return unknownAttempts;
    }

    /**
     * For {@link Kind#REJECTED}: the datum CloudWatch names as refused, as a 0-based index into the chunk that was
     * sent. CloudWatch names a datum by its 1-based place in the request, e.g. "The value NaN for parameter
     * MetricData.member.3.Value is invalid." is index 2; a message that names several gives the first. Empty when the
     * message names no datum of the chunk (e.g. "No metric may specify the same dimension name twice.").
     */
    public OptionalInt rejectedDatum() {
        return rejectedDatum < 0 ? OptionalInt.empty() : OptionalInt.of(rejectedDatum);
    }

    /**
     * For {@link Kind#REJECTED}: CloudWatch refused the request as such, not one of its datums (the namespace, the
     * MetricData list itself, or the size of the request), so no datum of the chunk goes through as sent, and
     * taking datums out does not help. Check it before {@link #rejectedDatum()}. False for a message that names
     * nothing: then only splitting the chunk tells which datum is refused.
     */
    public boolean refusesWholeRequest() {
        return refusesWholeRequest;
    }
}
