package com.cwgateway.buffer;

import java.util.Arrays;

/**
 * Distinct values with how often each occurred: an open-addressing hash table on primitive arrays, about
 * 16 bytes per slot, so a buffered point costs a few dozen bytes rather than a few hundred in objects.
 * Not thread-safe; its {@link SeriesAccumulator} guards it.
 */
final class ValueCounts {

    /** Marks an empty slot: a NaN bit pattern, which no validated value can have. */
    private static final long EMPTY = 0x7ff8_0000_0000_0001L;

    private long[] keys;
    private double[] counts;
    private int size;

    ValueCounts() {
        keys = new long[8];
        Arrays.fill(keys, EMPTY);
        counts = new double[8];
    }

    /** Adds {@code count} occurrences of {@code value}; returns true when the value is new. */
    boolean add(double value, double count) {
        long key = Double.doubleToLongBits(value == 0 ? 0.0 : value); // -0.0 and 0.0 are one value
        int slot = find(keys, key);
        if (keys[slot] == key) {
            counts[slot] += count;
            return false;
        }
        keys[slot] = key;
        counts[slot] = count;
        if (++size * 3 > keys.length * 2) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    /** The values in ascending order, and their counts in the same order, as two arrays. */
    double[][] sorted() {
        double[] values = new double[size];
        int taken = 0;
        for (long key : keys) {
            if (key != EMPTY) {
                values[taken++] = Double.longBitsToDouble(key);
            }
        }
        Arrays.sort(values);
        double[] sortedCounts = new double[size];
        for (int i = 0; i < size; i++) {
            sortedCounts[i] = counts[find(keys, Double.doubleToLongBits(values[i]))];
        }
        return new double[][] {values, sortedCounts};
    }

    private static int find(long[] keys, long key) {
        int mask = keys.length - 1;
        int slot = mix(key) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static int mix(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldKeys = keys;
        double[] oldCounts = counts;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        counts = new double[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = find(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
            }
        }
    }
}
