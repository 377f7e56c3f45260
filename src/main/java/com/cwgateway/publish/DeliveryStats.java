package com.cwgateway.publish;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The ledger: what became of every accepted point (one per value a client sent, see {@code Datum#points()}; merging
 * keeps them exact). Every move takes from one place and puts in another under one lock, so at every moment
 * <pre>accepted + replayed = published + dropped + spooled + buffered + in flight</pre>
 * and a loss not counted as dropped, with its reason, shows as an imbalance. Delivery log lines come from a
 * {@link Snapshot}.
 */
public final class DeliveryStats {

    /** Why points were dropped; each is something the user could have prevented or has been told of. */
    public enum DropReason {
        TOO_OLD("older than CloudWatch accepts (14 days)"),
        REJECTED("rejected by CloudWatch"),
        NOT_SPOOLED("not delivered by shutdown and could not be written to SPOOL_DIR");

        private final String meaning;

        DropReason(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    private long accepted;
    private long replayed;
    private long buffered;
    private long inFlight;
    private long published;
    private long spooled;
    private long retried;
    private long possiblyDuplicated;
    private final long[] dropped = new long[DropReason.values().length];

    /** Wall-clock time CloudWatch last confirmed points, in epoch milliseconds; 0 before it ever did. */
    private volatile long lastPublishedMillis;

    private final ConcurrentHashMap<String, LongAdder> callsByOutcome = new ConcurrentHashMap<>();
    private final LongAdder flushes = new LongAdder();
    private final DoubleAdder flushSeconds = new DoubleAdder();

    /** Points a client was answered 202 for: now buffered. */
    public synchronized void accepted(long points) {
        accepted += points;
        buffered += points;
    }

    /** Points read back from SPOOL_DIR at start: now buffered. */
    public synchronized void replayed(long points) {
        replayed += points;
        buffered += points;
    }

    /** Points taken from the buffer to be published (or, at shutdown, spooled): now in flight. */
    public synchronized void handedOut(long points) {
        buffered -= points;
        inFlight += points;
    }

    /** In-flight points CloudWatch confirmed. */
    public synchronized void published(long points) {
        inFlight -= points;
        published += points;
        if (points > 0) {
            lastPublishedMillis = System.currentTimeMillis();
        }
    }

    /** When CloudWatch last confirmed points (epoch milliseconds), 0 if never: how far delivery lags. */
    public long lastPublishedMillis() {
        return lastPublishedMillis;
    }

    /** In-flight points whose publish failed or did not start, back in the buffer for a later flush. */
    public synchronized void requeued(long points) {
        inFlight -= points;
        buffered += points;
        retried += points;
    }

    /** In-flight points given up, for a reason the user is told of. */
    public synchronized void dropped(DropReason reason, long points) {
        inFlight -= points;
        dropped[reason.ordinal()] += points;
    }

    /** In-flight points written to SPOOL_DIR at shutdown, for the next start. */
    public synchronized void spooled(long points) {
        inFlight -= points;
        spooled += points;
    }

    /** Points sent in a call whose outcome is unknown: CloudWatch may hold them twice. A count beside the ledger. */
    public synchronized void possiblyDuplicated(long points) {
        possiblyDuplicated += points;
    }

    /** One PutMetricData call: {@code ok}, or CloudWatch's error code. */
    public void call(String outcome) {
        callsByOutcome.computeIfAbsent(outcome, key -> new LongAdder()).increment();
    }

    public void flushed(long nanos) {
        flushes.increment();
        flushSeconds.add(nanos / 1e9);
    }

    /** Calls so far by outcome. */
    public Map<String, Long> calls() {
        Map<String, Long> calls = new TreeMap<>();
        callsByOutcome.forEach((outcome, count) -> calls.put(outcome, count.sum()));
        return calls;
    }

    public long flushes() {
        return flushes.sum();
    }

    public double flushSeconds() {
        return flushSeconds.sum();
    }

    /** Every count at one moment. */
    public synchronized Snapshot snapshot() {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, dropped[reason.ordinal()]);
        }
        return new Snapshot(accepted, replayed, published, drops, spooled, buffered, inFlight, retried,
                possiblyDuplicated);
    }

    /** {@code accepted=… replayed=… published=… dropped=… (too_old=…, …) spooled=… buffered=… in_flight=…}. */
    public String summary() {
        return snapshot().summary();
    }

    /** The ledger at one moment. */
    public record Snapshot(long accepted, long replayed, long published, Map<DropReason, Long> dropped,
                           long spooled, long buffered, long inFlight, long retried, long possiblyDuplicated) {

        public long allDropped() {
            return dropped.values().stream().mapToLong(Long::longValue).sum();
        }

        /** What came in less what is accounted for: 0 unless a point was lost uncounted. */
        public long imbalance() {
            return accepted + replayed - (published + allDropped() + spooled + buffered + inFlight);
        }

        /** True only when every point that came in was published, and none is still held. */
        public boolean allDelivered() {
            return published == accepted + replayed && allDropped() == 0 && spooled == 0 && buffered == 0
                    && inFlight == 0;
        }

        /** What became of the points, said plainly: "of 1200 points accepted and 0 replayed: 1000 published, ...". */
        public String outcome() {
            return outcome(false);
        }

        /** The same; {@code inFlightKept}: points still in a call are kept in the spool ({@code DURABILITY=disk}). */
        public String outcome(boolean inFlightKept) {
            StringBuilder text = new StringBuilder("of " + format(accepted) + " points accepted and "
                    + format(replayed) + " replayed: " + format(published) + " published");
            if (spooled > 0) {
                text.append(", ").append(format(spooled)).append(" written to the spool for the next start");
            }
            if (allDropped() > 0) {
                String reasons = dropped.entrySet().stream().filter(entry -> entry.getValue() > 0)
                        .map(entry -> entry.getKey().meaning() + ": " + format(entry.getValue()))
                        .collect(Collectors.joining("; "));
                text.append(", ").append(format(allDropped())).append(" dropped (").append(reasons).append(')');
            }
            if (inFlightKept && inFlight > 0) {
                text.append(", ").append(format(inFlight)).append(" in a call that did not end by the shutdown "
                        + "deadline: kept in the spool, published again at the next start (possibly twice)");
            }
            long lost = buffered + (inFlightKept ? 0 : inFlight);
            if (lost > 0) {
                text.append(", ").append(format(lost)).append(" neither published nor spooled: lost");
            }
            if (possiblyDuplicated > 0) {
                text.append("; ").append(format(possiblyDuplicated))
                        .append(" were sent in calls whose outcome is unknown and may be recorded twice");
            }
            return text.toString();
        }

        public String summary() {
            String reasons = dropped.entrySet().stream()
                    .map(entry -> entry.getKey().name().toLowerCase(Locale.ROOT) + "=" + format(entry.getValue()))
                    .collect(Collectors.joining(", "));
            return "accepted=" + format(accepted) + " replayed=" + format(replayed) + " published=" + format(published)
                    + " dropped=" + format(allDropped()) + " (" + reasons + ") spooled=" + format(spooled)
                    + " buffered=" + format(buffered) + " in_flight=" + format(inFlight) + " retried=" + format(retried)
                    + " possibly_duplicated=" + format(possiblyDuplicated);
        }
    }

    /** Points as a log line writes them. */
    public static String format(long points) {
        return String.valueOf(points);
    }
}
