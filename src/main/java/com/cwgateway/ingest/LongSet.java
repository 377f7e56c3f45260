package com.cwgateway.ingest;

import java.util.Arrays;
import java.util.function.LongConsumer;

/** A set of longs on a primitive array (open addressing): eight bytes a member, no boxing. Not thread-safe. */
final class LongSet {

    /** Marks an empty slot; a member equal to it is kept aside in {@link #hasEmptyMarker}. */
    private static final long EMPTY = 0;

    private long[] slots = new long[16];
    private int size;
    private boolean hasEmptyMarker;

    boolean contains(long value) {
        if (value == EMPTY) {
            return hasEmptyMarker;
        }
        return slots[find(slots, value)] == value;
    }

    /** Adds the value; returns true when it was not there. */
    boolean add(long value) {
        if (value == EMPTY) {
            boolean added = !hasEmptyMarker;
            hasEmptyMarker = true;
            size += added ? 1 : 0;
            return added;
        }
        int slot = find(slots, value);
        if (slots[slot] == value) {
            return false;
        }
        slots[slot] = value;
        if (++size * 2 > slots.length) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    void forEach(LongConsumer action) {
        if (hasEmptyMarker) {
            action.accept(EMPTY);
        }
        for (long value : slots) {
            if (value != EMPTY) {
                action.accept(value);
            }
        }
    }

    void clear() {
        Arrays.fill(slots, EMPTY);
        size = 0;
        hasEmptyMarker = false;
    }

    private static int find(long[] slots, long value) {
        int mask = slots.length - 1;
        int slot = (int) (value ^ (value >>> 32)) & mask;
        while (slots[slot] != EMPTY && slots[slot] != value) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        for (long value : old) {
            if (value != EMPTY) {
                slots[find(slots, value)] = value;
            }
        }
    }
}
