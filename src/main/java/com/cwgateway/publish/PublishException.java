package com.cwgateway.publish;

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
        /** As {@link #TRANSIENT}, but unanswered attempts may have stored the chunk: resending may store it twice. */
        UNKNOWN_OUTCOME,
        /** Credentials missing, expired or not allowed (401/403): keep the data, and say so loudly. */
        CREDENTIALS,
        /** CloudWatch refused the data itself (another 4xx): retrying the same chunk fails again. */
        REJECTED
    }

    /**
     * A parameter a CloudWatch error message names: "for parameter MetricData.member.3.Value", "The parameter
     * Namespace is required", "The collection MetricData ...". An echoed value before it is not taken for one.
     */
    private static final Pattern NAMED_PARAMETER = Pattern.compile("\\b(?:parameters?|collection) ([A-Za-z][\\w.]*\\w)");
    /**
     * The value CloudWatch echoes before the parameter it names ("The value X for parameter P"): not a parameter.
     * Greedy, up to the last "for parameter": a client's value may itself hold "for parameter Namespace".
     */
    private static final Pattern ECHOED_VALUE = Pattern.compile("(?is)\\bthe value .* for (parameter )");
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

    /** A call that failed after {@code unknownAttempts} (at least 1) unanswered attempts, with the last code. */
    public static PublishException unknownOutcome(String errorCode, String message, Throwable cause,
                                                  int unknownAttempts) {
        if (unknownAttempts < 1) {
            throw new IllegalArgumentException("an unknown outcome needs at least one unanswered attempt");
        }
        return new PublishException(errorCode, Kind.UNKNOWN_OUTCOME, message, cause, unknownAttempts, -1, false);
    }

    /**
     * CloudWatch refused a chunk of {@code datums} datums with {@code message}, which is read for what it names.
     * {@code tooLarge} (413 {@code RequestEntityTooLarge}) concerns the whole request whatever the message says.
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
        String withoutValues = ECHOED_VALUE.matcher(message).replaceAll("$1");
        return NAMED_PARAMETER.matcher(withoutValues).results().map(named -> named.group(1)).toList();
    }

    public String errorCode() {
        return errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** For {@link Kind#UNKNOWN_OUTCOME}: attempts that got no answer, each may have stored the chunk; else 0. */
    public int unknownAttempts() {
        return unknownAttempts;
    }

    /**
     * For {@link Kind#REJECTED}: the first datum the message names, 0-based ("parameter MetricData.member.3.Value"
     * is index 2); empty when it names no datum of the chunk.
     */
    public OptionalInt rejectedDatum() {
        return rejectedDatum < 0 ? OptionalInt.empty() : OptionalInt.of(rejectedDatum);
    }

    /**
     * For {@link Kind#REJECTED}: CloudWatch refused the request as such (its namespace, MetricData list or size),
     * so taking datums out does not help. Check it before {@link #rejectedDatum()}; false when nothing is named.
     */
    public boolean refusesWholeRequest() {
        return refusesWholeRequest;
    }
}
