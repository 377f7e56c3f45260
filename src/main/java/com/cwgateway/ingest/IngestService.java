package com.cwgateway.ingest;

import com.cwgateway.metric.PutMetricDataInput;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Accepts a request body whole or not at all: validates it as CloudWatch would, checks its namespaces against
 * {@code ALLOWED_NAMESPACES} and the token's, then lets the {@link Intake} take it. Returns what became of it,
 * which the HTTP layer turns into a status and a message.
 */
public final class IngestService {

    /** The body shapes: one PutMetricData input ({@code POST /metrics}) or an array of them ({@code /batch}). */
    public enum Shape { SINGLE, BATCH }

    /** What became of a request. */
    public sealed interface Outcome {
        /** Accepted, with this many datums: the client is owed its 202. */
        record Accepted(int datums) implements Outcome {}

        /** Not valid PutMetricData: nothing of it was accepted. */
        record Invalid(InvalidInputException problem) implements Outcome {}

        /** Namespaces {@code ALLOWED_NAMESPACES} refuses, or, when {@code tokenScope} is set, the token's. */
        record NamespacesRefused(Set<String> namespaces, NamespacePolicy tokenScope) implements Outcome {}

        /** Valid, and refused by the intake for {@code why} (never {@link Intake.Outcome#ACCEPTED}). */
        record Refused(Intake.Outcome why) implements Outcome {}
    }

    private final PutMetricDataReader reader;
    private final NamespacePolicy allowed;
    private final Intake intake;
    /** One request parsing per core, first come first served: parsing never waits on I/O, so more only adds delay. */
    private final Semaphore cores = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

    public IngestService(PutMetricDataReader reader, NamespacePolicy allowed, Intake intake) {
        this.reader = reader;
        this.allowed = allowed;
        this.intake = intake;
    }

    /** Ingests the first {@code length} bytes of {@code body}; {@code tokenScope} is null when tokens are off. */
    public Outcome ingest(byte[] body, int length, Shape shape, NamespacePolicy tokenScope) {
        List<PutMetricDataInput> inputs;
        cores.acquireUninterruptibly();
        try {
            inputs = shape == Shape.SINGLE ? List.of(reader.readInput(body, length)) : reader.readBatch(body, length);
        } catch (InvalidInputException e) {
            return new Outcome.Invalid(e);
        } finally {
            cores.release();
        }
        Set<String> refused = allowed.refused(inputs);
        if (!refused.isEmpty()) {
            return new Outcome.NamespacesRefused(refused, null);
        }
        if (tokenScope != null) {
            Set<String> outside = tokenScope.refused(inputs);
            if (!outside.isEmpty()) {
                return new Outcome.NamespacesRefused(outside, tokenScope);
            }
        }
        // Outside the CPU gate: with DURABILITY=disk accepting waits for the spool's force, and a request
        // waiting on the disk must not hold a core's turn (group commit needs many waiting).
        Intake.Outcome taken = intake.accept(inputs, body, length, shape == Shape.BATCH);
        if (taken != Intake.Outcome.ACCEPTED) {
            return new Outcome.Refused(taken);
        }
        int datums = 0;
        for (PutMetricDataInput input : inputs) {
            datums += input.datums().size();
        }
        return new Outcome.Accepted(datums);
    }

    /** {@code MAX_SERIES}, for the message of a request refused by it. */
    public long maxSeries() {
        return intake.maxSeries();
    }
}
