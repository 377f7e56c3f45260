package com.cwgateway.publish;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of accepted data, counted in samples (CloudWatch's SampleCount: one per single value, the
 * counts of Values, the SampleCount of a statistic set), which aggregation keeps unchanged. At any time
 * accepted + replayed = published + dropped + spooled + what is buffered or in flight, so a loss that is
 * not counted as dropped, with its reason, would show.
 */
public final class DeliveryStats {

    /** Why points were dropped; each is something the user could have prevented or has been told of. */
    public enum DropReason {
        TOO_OLD("older than CloudWatch accepts (14 days)"),
        REJECTED("rejected by CloudWatch"),
        NOT_SPOOLED("not delivered by shutdown and could not be spooled");

        private final String meaning;

        DropReason(String meaning) {
            this.meaning = meaning;
        }

        public String meaning() {
            return meaning;
        }
    }

    private final DoubleAdder accepted = new DoubleAdder();
    private final DoubleAdder replayed = new DoubleAdder();
    private final DoubleAdder published = new DoubleAdder();
    private final DoubleAdder retried = new DoubleAdder();
    private final DoubleAdder spooled = new DoubleAdder();
    private final Map<DropReason, DoubleAdder> dropped = new EnumMap<>(DropReason.class);
    private final ConcurrentHashMap<String, LongAdder> callsByOutcome = new ConcurrentHashMap<>();
    private final LongAdder flushes = new LongAdder();
    private final DoubleAdder flushSeconds = new DoubleAdder();

    public DeliveryStats() {
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason, new DoubleAdder());
        }
    }

    public void accepted(double samples) {
        accepted.add(samples);
    }

    public void replayed(double samples) {
        replayed.add(samples);
    }

    public void published(double samples) {
        published.add(samples);
    }

    /** Samples whose publish failed and that went back into the buffer for a later flush. */
    public void retried(double samples) {
        retried.add(samples);
    }

    public void spooled(double samples) {
        spooled.add(samples);
    }

    public void dropped(DropReason reason, double samples) {
        dropped.get(reason).add(samples);
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

    public double replayed() {
        return replayed.sum();
    }

    public double retried() {
        return retried.sum();
    }

    public double spooled() {
        return spooled.sum();
    }

    public double accepted() {
        return accepted.sum();
    }

    public double published() {
        return published.sum();
    }

    public double dropped(DropReason reason) {
        return dropped.get(reason).sum();
    }

    /** {@code accepted=… replayed=… published=… retried=… spooled=… dropped=… (too_old=…, …)}. */
    public String summary() {
        StringBuilder reasons = new StringBuilder();
        double allDropped = 0;
        for (DropReason reason : DropReason.values()) {
            double samples = dropped.get(reason).sum();
            allDropped += samples;
            reasons.append(reasons.isEmpty() ? "" : ", ").append(reason.name().toLowerCase(Locale.ROOT))
                    .append('=').append(format(samples));
        }
        return "accepted=" + format(accepted.sum()) + " replayed=" + format(replayed.sum())
                + " published=" + format(published.sum()) + " retried=" + format(retried.sum())
                + " spooled=" + format(spooled.sum()) + " dropped=" + format(allDropped) + " (" + reasons + ")";
    }

    /** Samples as people write them: whole numbers without a fraction. */
    public static String format(double samples) {
        return samples == Math.rint(samples) ? String.valueOf((long) samples) : String.valueOf(samples);
    }
}
