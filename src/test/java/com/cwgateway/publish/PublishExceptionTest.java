package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a failure says about trying again: its kind, and for a CloudWatch refusal which datum of the chunk it names
 * or whether it refuses the request as such. {@code RejectionTest} reads CloudWatch's usual messages, through the
 * SDK too; these are the edges of reading them.
 */
class PublishExceptionTest {

    private static final IOException CAUSE = new IOException("underneath");

    /** Message, then the 0-based datum it names in a chunk of 20 (-1 for none), then whether it refuses the request. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            The parameter MetricData.member.25.Value is invalid; so is parameter MetricData.member.3.Value. |  2 | false
            The parameter MetricData.member.20.Unit is invalid.                                       | 19 | false
            The parameter MetricData.member.0.Value is invalid.                                       | -1 | false
            The parameter MetricData.member.2147483648.Value is invalid.                              | -1 | false
            The parameter MetricData.member.99999999999.Value is invalid.                              | -1 | false
            The value Namespace for parameter MetricData.member.2.Dimensions.member.1.Value is invalid. | 1 | false
            The value MetricData for parameter MetricData.member.4.Unit is invalid.                   |  3 | false
            Invalidparameter MetricData.member.5.Value is not a parameter named by CloudWatch.        | -1 | false
            The value MetricData.member.6.Value is invalid.                                           | -1 | false
            The parameter Namespaces is not Namespace.                                                | -1 | false
            The parameter MetricDataX is not MetricData.                                              | -1 | false
            The value App for parameter Namespace. MetricData.member.2.Value is fine.                 | -1 | true
            The parameter Namespace is invalid; so is parameter MetricData.member.2.Value.             |  1 | true
            The parameter metricdata.member.2.Value is not CloudWatch's spelling.                     | -1 | false
            """)
    void readsWhatTheMessageNames(String message, int datum, boolean wholeRequest) {
        PublishException e = PublishException.rejected("InvalidParameterValue", message, null, 20, false);

        assertEquals(datum < 0 ? OptionalInt.empty() : OptionalInt.of(datum), e.rejectedDatum(), message);
        assertEquals(wholeRequest, e.refusesWholeRequest(), message);
    }

    @Test
    void tooLargeRefusesTheWholeRequestEvenWhenTheMessageNamesADatum() {
        PublishException e = PublishException.rejected("RequestEntityTooLarge",
                "The parameter MetricData.member.1.Value is invalid.", null, 5, true);

        assertTrue(e.refusesWholeRequest());
        assertEquals(OptionalInt.of(0), e.rejectedDatum(), "what it names is still read");
    }

    @ParameterizedTest(name = "too large: {0}")
    @ValueSource(booleans = {false, true})
    void aNullMessageNamesNothing(boolean tooLarge) {
        PublishException e = PublishException.rejected("InvalidParameterValue", null, null, 20, tooLarge);

        assertEquals(OptionalInt.empty(), e.rejectedDatum());
        assertEquals(tooLarge, e.refusesWholeRequest());
        assertEquals(null, e.getMessage());
    }

    @Test
    void anEmptyChunkHasNoDatumToName() {
        PublishException e = PublishException.rejected("InvalidParameterValue",
                "The parameter MetricData.member.1.Value is invalid.", null, 0, false);

        assertEquals(OptionalInt.empty(), e.rejectedDatum());
    }

    @Test
    void aRejectionKeepsItsCodeMessageAndCause() {
        PublishException e = PublishException.rejected("InvalidParameterCombination", "both", CAUSE, 3, false);

        assertEquals(PublishException.Kind.REJECTED, e.kind());
        assertEquals("InvalidParameterCombination", e.errorCode());
        assertEquals("both", e.getMessage());
        assertSame(CAUSE, e.getCause());
        assertEquals(0, e.unknownAttempts());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TRANSIENT", "CREDENTIALS", "UNKNOWN_OUTCOME", "REJECTED"})
    void theConstructorKeepsItsKindAndNamesNothing(String kind) {
        PublishException e = new PublishException("Throttling", PublishException.Kind.valueOf(kind), "Rate exceeded", CAUSE);

        assertEquals(PublishException.Kind.valueOf(kind), e.kind());
        assertEquals("Throttling", e.errorCode());
        assertEquals("Rate exceeded", e.getMessage());
        assertSame(CAUSE, e.getCause());
        assertEquals(0, e.unknownAttempts());
        assertEquals(OptionalInt.empty(), e.rejectedDatum());
        assertFalse(e.refusesWholeRequest());
    }

    @ParameterizedTest(name = "{0} attempts")
    @ValueSource(ints = {1, 3})
    void anUnknownOutcomeCountsItsUnansweredAttempts(int attempts) {
        PublishException e = PublishException.unknownOutcome("Timeout", "no answer", CAUSE, attempts);

        assertEquals(PublishException.Kind.UNKNOWN_OUTCOME, e.kind());
        assertEquals(attempts, e.unknownAttempts());
        assertEquals("Timeout", e.errorCode());
        assertEquals("no answer", e.getMessage());
        assertSame(CAUSE, e.getCause());
        assertEquals(OptionalInt.empty(), e.rejectedDatum());
        assertFalse(e.refusesWholeRequest());
    }

    @ParameterizedTest(name = "{0} attempts")
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void anUnknownOutcomeNeedsAnUnansweredAttempt(int attempts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublishException.unknownOutcome("Timeout", "no answer", CAUSE, attempts));

        assertEquals("an unknown outcome needs at least one unanswered attempt", e.getMessage());
    }

    @Test
    void anEchoedValueThatReadsLikeAParameterIsNotTakenForOne() {
        PublishException e = PublishException.rejected("InvalidParameterValue", "The value parameter "
                + "MetricData.member.9.Value for parameter MetricData.member.2.Dimensions.member.1.Value is invalid.",
                null, 20, false);

        assertEquals(OptionalInt.of(1), e.rejectedDatum());
    }

    @Test
    void anEchoedValueHoldingForParameterIsNotTakenForTheParameter() {
        PublishException datum = PublishException.rejected("InvalidParameterValue", "The value x for parameter "
                + "MetricData.member.9.Value for parameter MetricData.member.2.Dimensions.member.1.Value is invalid.",
                null, 20, false);
        PublishException namespace = PublishException.rejected("InvalidParameterValue", "The value x for parameter "
                + "Namespace for parameter MetricData.member.2.Dimensions.member.1.Value is invalid.", null, 20, false);

        assertEquals(OptionalInt.of(1), datum.rejectedDatum());
        assertEquals(OptionalInt.of(1), namespace.rejectedDatum());
        assertFalse(namespace.refusesWholeRequest(), "a value naming Namespace does not refuse the whole chunk");
    }
}
