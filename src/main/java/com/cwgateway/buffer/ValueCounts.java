package com.cwgateway.buffer;

import java.util.Arrays;

/**
 * Distinct values with how often each occurred: an open-addressing hash table on primitive arrays, so a
 * buffered point costs a few dozen bytes, not a few hundred in objects. Not thread-safe; its
 * {@link SeriesAccumulator} guards it. Each value also has its points ({@code Datum#points()}), kept in an
 * array only once some point came with a count other than 1. To be published it is sorted where it lies
 * ({@link #sortInPlace()}), so a flush needs no copy; a sorted table takes no more values.
 */
final class ValueCounts {

    /** Marks an empty slot: a NaN bit pattern, which no validated value can have. */
    private static final long EMPTY = 0x7ff8_0000_0000_0001L;

    private long[] keys;
    private double[] counts;
    /** Points per slot; null while each slot's points equal its count. */
    private long[] points;
    private int size;
    private boolean sorted;

    ValueCounts() {
        keys = new long[8];
        Arrays.fill(keys, EMPTY);
        counts = new double[8];
    }

    /** Adds {@code count} occurrences of {@code value}, sent as {@code points} points; true when the value is new. */
    boolean add(double value, double count, long points) {
        if (this.points == null && (count != 1 || points != 1)) {
            this.points = new long[keys.length];
            for (int slot = 0; slot < keys.length; slot++) {
                this.points[slot] = (long) counts[slot]; // a sum of ones, so exact
            }
        }
        long key = Double.doubleToLongBits(value == 0 ? 0.0 : value); // -0.0 and 0.0 are one value
        int slot = find(keys, key);
        if (keys[slot] == key) {
            counts[slot] += count;
            if (this.points != null) {
                this.points[slot] += points;
            }
            return false;
        }
        keys[slot] = key;
        counts[slot] = count;
        if (this.points != null) {
            this.points[slot] = points;
        }
        if (++size * 3 > keys.length * 2) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    /** Slots allocated: what the table costs, whatever its size. */
    int capacity() {
        return keys.length;
    }

    /** Whether points are kept apart from counts (some point came with a count other than 1). */
    boolean keepsPoints() {
        return points != null;
    }

    /** Receives values with their counts and points. */
    interface Visitor {
        void visit(double value, double count, long points);
    }

    /**
     * Gives {@code visitor} every value with its count: once sorted, in ascending order from the
     * {@code from}-th; before, in no order, and {@code from} must be 0.
     */
    void forEach(int from, Visitor visitor) {
        if (sorted) {
            for (int i = from; i < size; i++) {
                visitor.visit(valueAt(i), counts[i], pointsAt(i));
            }
            return;
        }
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != EMPTY) {
                visitor.visit(Double.longBitsToDouble(keys[slot]), counts[slot], pointsAt(slot));
            }
        }
    }

    /**
     * Puts the values in ascending order at the front of the arrays, each with its count, without allocating:
     * the keys become sortable as signed longs (see {@link #sortable}), then a heapsort moves both arrays.
     */
    void sortInPlace() {
        if (sorted) {
            return;
        }
        int taken = 0;
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != EMPTY) {
                keys[taken] = sortable(keys[slot]);
                counts[taken] = counts[slot];
                if (points != null) {
                    points[taken] = points[slot];
                }
                taken++;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i, size);
        }
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
        sorted = true;
    }

    /** The {@code i}-th smallest value; only once sorted. */
    double valueAt(int i) {
        return Double.longBitsToDouble(sortable(keys[i]));
    }

    /** The count of the {@code i}-th smallest value; only once sorted. */
    double countAt(int i) {
        return counts[i];
    }

    /** The points of the {@code i}-th smallest value once sorted, of slot {@code i} before. */
    long pointsAt(int i) {
        return points == null ? (long) counts[i] : points[i];
    }

    /**
     * The bits of a double, ordered as signed longs the way the doubles are ordered (negative values have
     * every bit but the sign flipped); applied twice, it gives the bits back.
     */
    private static long sortable(long bits) {
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    private void siftDown(int root, int end) {
        while (true) {
            int child = 2 * root + 1;
            if (child >= end) {
                return;
            }
            if (child + 1 < end && keys[child + 1] > keys[child]) {
                child++;
            }
            if (keys[root] >= keys[child]) {
                return;
            }
            swap(root, child);
            root = child;
        }
    }

    private void swap(int a, int b) {
        long key = keys[a];
        keys[a] = keys[b];
        keys[b] = key;
        double count = counts[a];
        counts[a] = counts[b];
        counts[b] = count;
        if (points != null) {
            long held = points[a];
            points[a] = points[b];
            points[b] = held;
        }
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
        long[] oldPoints = points;
        keys = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        counts = new double[oldKeys.length * 2];
        points = oldPoints == null ? null : new long[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = find(keys, oldKeys[i]);
                keys[slot] = oldKeys[i];
                counts[slot] = oldCounts[i];
                if (points != null) {
                    points[slot] = oldPoints[i];
                }
            }
        }
    }
}
