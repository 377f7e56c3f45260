package com.cwgateway.ingest;

import com.cwgateway.metric.Dimension;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * One shared, immutable list for each set of dimensions that repeats, the way {@link RepeatedStrings} shares
 * their strings: made once, hashed once, equal to itself by identity in every series lookup. The same kind of
 * bounded, lock-free table, every hit checked element by element (by identity first, as shared strings are).
 */
final class RepeatedDimensions {

    static final int SLOTS = 1 << 12;
    /** Larger sets are never kept: a full table of 30 values of 1024 characters could hold a quarter of a GB. */
    static final int MAX_CHARACTERS = 512;

    private final Shared[] slots = new Shared[SLOTS];

    /** The dimensions {@code names[i]}, {@code values[i]} for {@code i < count}, shared when seen before. */
    List<Dimension> of(String[] names, String[] values, int count) {
        if (count == 0) {
            return List.of();
        }
        int hash = count;
        int characters = 0;
        for (int i = 0; i < count; i++) {
            hash = (hash * 31 + names[i].hashCode()) * 31 + values[i].hashCode();
            characters += names[i].length() + values[i].length();
        }
        int slot = (hash * 0x9E37_79B9) >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
        Shared seen = slots[slot];
        if (seen != null && seen.holds(names, values, count)) {
            return seen;
        }
        Dimension[] dimensions = new Dimension[count];
        for (int i = 0; i < count; i++) {
            dimensions[i] = new Dimension(names[i], values[i]);
        }
        Shared made = new Shared(dimensions);
        if (characters <= MAX_CHARACTERS) {
            slots[slot] = made;
        }
        return made;
    }

    /** An immutable list of dimensions that computes its hash once (series keys hash it for every point). */
    private static final class Shared extends AbstractList<Dimension> implements RandomAccess {
        private final Dimension[] dimensions;
        private final int hash;

        Shared(Dimension[] dimensions) {
            this.dimensions = dimensions;
            this.hash = super.hashCode();
        }

        boolean holds(String[] names, String[] values, int count) {
            if (count != dimensions.length) {
                return false;
            }
            for (int i = 0; i < count; i++) {
                if (!dimensions[i].name().equals(names[i]) || !dimensions[i].value().equals(values[i])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Dimension get(int index) {
            return dimensions[index];
        }

        @Override
        public int size() {
            return dimensions.length;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
