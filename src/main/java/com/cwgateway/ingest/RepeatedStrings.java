package com.cwgateway.ingest;

import com.cwgateway.metric.CloudWatchRules;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One shared instance of each string that repeats from datum to datum and request to request (namespaces,
 * metric names, units, dimension names and values), validated and hashed once and compared by identity
 * where series are counted and merged, instead of made, checked and hashed anew for each datum.
 *
 * <p>A fixed, lock-free table of recent strings, one per slot by a hash of the characters: memory is bounded,
 * every hit is compared character by character (a collision costs time, never a wrong string), and two threads
 * writing one slot only cost each other a miss, since a slot holds a reference to an immutable {@link Text}.
 */
final class RepeatedStrings {

    static final int SLOTS = 1 << 12;
    /** Longer strings (long dimension values such as URLs) are rarely repeated enough to be worth a slot. */
    static final int MAX_LENGTH = 256;

    /**
     * The rules a string is checked against; a shared string remembers each it passed on its own, so a metric
     * name (any Unicode) is still refused when it comes back as a dimension value (ASCII only).
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

    /** A string and the rules it passed: a racy record of a pure function, out of date at worst, never wrong. */
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
