package com.cwgateway.ingest;

import com.cwgateway.metric.CloudWatchRules;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One shared instance of each string that repeats from datum to datum and request to request: namespaces,
 * metric names, units, dimension names and values. A body of 1000 datums holds a few dozen distinct such
 * strings; making each anew for each datum is the largest allocation of a request, and every new copy must
 * then be validated, hashed and compared character by character where series are counted and merged. A
 * shared copy is validated and hashed once and compared by identity.
 *
 * <p>A fixed table of recently seen strings, one per slot, chosen by a hash of the characters: memory is
 * bounded (at most {@value #SLOTS} strings of at most {@value #MAX_LENGTH} characters), a string that loses its
 * slot is simply made again, and every hit is compared character by character, so a collision costs time,
 * never a wrong string. Threads share the table without locks: a slot holds a reference to an immutable
 * {@link Text}, safe to read in a race; two threads writing one slot at once only cost each other a miss.
 */
final class RepeatedStrings {

    static final int SLOTS = 1 << 12;
    /** Longer strings (long dimension values such as URLs) are rarely repeated enough to be worth a slot. */
    static final int MAX_LENGTH = 256;

    /**
     * The rules a string is checked against; a shared string remembers which it passed, each on its own, so
     * that passing one never stands for another: a name accepted as a metric name (any Unicode) is checked
     * again, and refused, when it comes back as a dimension value (ASCII only).
     */
    enum Rule {
        NAMESPACE(CloudWatchRules::namespace),
        METRIC_NAME(CloudWatchRules::metricName),
        DIMENSION_NAME(CloudWatchRules::dimensionName),
        DIMENSION_VALUE(CloudWatchRules::dimensionValue),
        UNIT(CloudWatchRules::unit);

        private final Function<String, String> check;

        Rule(Function<String, String> check) {
            this.check = check;
        }
    }

    /**
     * A string and the rules it is known to pass. The rules are a pure function of the characters, so the
     * racy, unsynchronised record of them can only be out of date (then the rule runs again), never wrong.
     */
    static final class Text {
        final String string;
        private final char[] chars;
        private int passed;

        private Text(String string, char[] chars) {
            this.string = string;
            this.chars = chars;
        }

        /** What is wrong with the string under {@code rule}, or {@code null} when it passes. */
        String broken(Rule rule) {
            int bit = 1 << rule.ordinal();
            if ((passed & bit) != 0) {
                return null;
            }
            String broken = rule.check.apply(string);
            if (broken == null) {
                passed |= bit;
            }
            return broken;
        }
    }

    private final Text[] slots = new Text[SLOTS];

    /** The string of {@code length} characters at {@code offset} of {@code chars}, shared when seen before. */
    Text of(char[] chars, int offset, int length) {
        int end = offset + length;
        char[] copy = null;
        int slot = 0;
        if (length <= MAX_LENGTH) {
            slot = slotOf(chars, offset, end);
            Text seen = slots[slot];
            if (seen != null && sameCharacters(seen.chars, chars, offset, length)) {
                return seen;
            }
            copy = Arrays.copyOfRange(chars, offset, end);
        }
        Text made = new Text(new String(chars, offset, length), copy);
        if (copy != null) {
            slots[slot] = made;
        }
        return made;
    }

    /** A plain loop: shorter than the set-up of {@code Arrays.equals} for the short strings held here. */
    private static boolean sameCharacters(char[] seen, char[] chars, int offset, int length) {
        if (seen.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (seen[i] != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /** A hash of the characters, two to an int, in two independent lanes that a CPU computes side by side. */
    private static int slotOf(char[] chars, int from, int to) {
        int a = to - from;
        int b = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a = a * 0x0100_0193 + (chars[i] << 16 | chars[i + 1]);
            b = b * 0x0100_0193 + (chars[i + 2] << 16 | chars[i + 3]);
        }
        for (; i < to; i++) {
            a = a * 0x0100_0193 + chars[i];
        }
        int hash = (a ^ Integer.rotateLeft(b, 16)) * 0x9E37_79B9;
        return hash >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
    }
}
