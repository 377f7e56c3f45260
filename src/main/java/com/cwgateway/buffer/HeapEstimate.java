package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * The heap the buffer holds, estimated object by object, for {@code MAX_BUFFER_BYTES}: sizes of a 64-bit
 * HotSpot JVM with compressed oops and class pointers (heaps under 32 GB; 12-byte object headers, objects
 * rounded up to 8 bytes), which {@code HeapEstimateTest} checks against the heap really used. Under G1 an array
 * of half a region or more takes whole regions and counts so. Strings and dimension lists are counted with each
 * key unless {@link Shared} knows them, so a count errs high.
 */
final class HeapEstimate {

    static final int REFERENCE = 4;
    static final int ARRAY_HEADER = 16;
    /** G1's region size, or 0 under another collector. */
    private static final long G1_REGION = g1Region();

    /** {@link SeriesPeriod}: header, 5 references, a long, 2 ints: 48. */
    static final int SERIES_KEY = 48;
    /** A {@code ConcurrentHashMap.Node}: header, the key's hash, key, value and next: 32. */
    static final int MAP_NODE = 32;
    /** {@link SeriesAccumulator}: header, a reference, 2 booleans, an int, 4 doubles, a long: 64. */
    static final int ACCUMULATOR = 64;
    /** {@link ValueCounts} itself (header, 3 references, an int, a boolean): 32, without its arrays. */
    static final int VALUE_COUNTS = 32;
    /** One slot of a {@link ValueCounts}: a long key and a double count. Counted by capacity, not by size. */
    static final int VALUE_SLOT = 16;
    /** One namespace: at most its object (24), a counter (24), a {@code ConcurrentHashMap} (64) and a node. */
    static final int NAMESPACE = 24 + 24 + 64 + MAP_NODE;
    /** A {@code String}: header, its array, its hash, coder and hash flag: 24, without its bytes. */
    static final int STRING = 24;
    /** A {@link Dimension}: header and two references. */
    static final int DIMENSION = 24;
    /** A list of dimensions: the list object (the reader's shared list: 24) and its array of references. */
    static final int DIMENSION_LIST = 24;
    /** Without aggregation, per datum: the queue's node (24), the {@link Datum} record (48). */
    static final int QUEUED_DATUM = 24 + 48;
    /** {@link MetricValue.Single}: header and a double. */
    static final int SINGLE = 24;
    /** {@link MetricValue.Statistics}: header and 4 doubles. */
    static final int STATISTICS = 48;
    /** {@link MetricValue.Distribution}: header and 2 references, without its arrays. */
    static final int DISTRIBUTION = 24;
    /** What a new entry adds to the array of a {@code ConcurrentHashMap}, three quarters full at most. */
    static final int MAP_SLOTS = 3 * REFERENCE;
    /**
     * Reserved per value before it is known to be new: a slot, and on average a doubling's share (3 slots in
     * all). When one value doubles a large table, the budget counts what it really added.
     */
    static final int RESERVED_PER_VALUE = 3 * VALUE_SLOT;
    /** A new series without its strings: key, node, array slots, accumulator and a first table of values. */
    static final long NEW_SERIES = SERIES_KEY + MAP_NODE + MAP_SLOTS + ACCUMULATOR + valueCounts(8, false);

    private HeapEstimate() {}

    private static long g1Region() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return Boolean.parseBoolean(hotSpot.getVMOption("UseG1GC").getValue())
                    ? Long.parseLong(hotSpot.getVMOption("G1HeapRegionSize").getValue()) : 0;
        } catch (RuntimeException | LinkageError e) {
            return 0; // not HotSpot: the sizes below are the best guess there is
        }
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    static long array(int length, int elementBytes) {
        long bytes = align(ARRAY_HEADER + (long) length * elementBytes);
        return G1_REGION > 0 && bytes >= G1_REGION / 2 ? (bytes + G1_REGION - 1) / G1_REGION * G1_REGION : bytes;
    }

    /** A string with its bytes: one per character when all are Latin-1 (compact strings), else two. */
    static long string(String string) {
        if (string == null) {
            return 0;
        }
        int bytesPerChar = 1;
        for (int i = 0; i < string.length(); i++) {
            if (string.charAt(i) > 0xFF) {
                bytesPerChar = 2;
                break;
            }
        }
        return STRING + array(string.length(), bytesPerChar);
    }

    /** A {@link ValueCounts} of {@code capacity} slots, with its arrays: a third one when it keeps points. */
    static long valueCounts(int capacity, boolean keepsPoints) {
        return VALUE_COUNTS + (keepsPoints ? 3 : 2) * array(capacity, 8);
    }

    /** The array of a {@code ConcurrentHashMap} of {@code entries}: 16 slots, doubled at three quarters full. */
    static long mapTable(long entries) {
        if (entries == 0) {
            return 0;
        }
        long capacity = 16;
        while (entries >= capacity - (capacity >>> 2)) {
            capacity <<= 1;
        }
        return array((int) capacity, REFERENCE);
    }

    /** A datum's value as held without aggregation. */
    static long value(MetricValue value) {
        return switch (value) {
            case MetricValue.Single single -> SINGLE;
            case MetricValue.Statistics statistics -> STATISTICS;
            case MetricValue.Distribution distribution -> DISTRIBUTION + array(distribution.values().length, 8)
                    + (distribution.counts() == null ? 0 : array(distribution.counts().length, 8));
        };
    }

    /** How many values a datum carries. */
    static int values(MetricValue value) {
        return value instanceof MetricValue.Distribution distribution ? distribution.values().length : 1;
    }

    /**
     * Objects one table already counted, by identity. An overwritten slot only counts an object again (too
     * high, never too low), and threads race on slots harmlessly. Per table: an object is known to stay in
     * memory only while the table whose key counted it does.
     */
    static final class Shared {
        private static final int SLOTS = 1 << 12;
        private final Object[] seen;
        private final boolean remember;

        Shared() {
            this(new Object[SLOTS], true);
        }

        private Shared(Object[] seen, boolean remember) {
            this.seen = seen;
            this.remember = remember;
        }

        /** A view that finds what this one counted but remembers nothing itself: to reserve with. */
        Shared peek() {
            return new Shared(seen, false);
        }

        /** The bytes of {@code string}, or 0 when a key of this table already counted this very object. */
        long string(String string) {
            return string == null || known(string) ? 0 : HeapEstimate.string(string);
        }

        /** The bytes of {@code dimensions} with its dimensions, and those of its strings not yet counted. */
        long dimensions(List<Dimension> dimensions) {
            if (dimensions.isEmpty() || known(dimensions)) {
                return 0; // an empty list is List.of(): one instance for the whole JVM
            }
            long bytes = DIMENSION_LIST + array(dimensions.size(), REFERENCE);
            for (Dimension dimension : dimensions) {
                bytes += DIMENSION + string(dimension.name()) + string(dimension.value());
            }
            return bytes;
        }

        /**
         * Whether {@code object} was seen; remembers it when not (unless a peek). Slotted by identity, not
         * content: equal strings may be several objects on the heap, and by content they would take one slot in
         * turns, so a put-back flush counted a shared name once per key.
         */
        private boolean known(Object object) {
            int slot = (System.identityHashCode(object) * 0x9E37_79B9) >>> (32 - Integer.numberOfTrailingZeros(SLOTS));
            if (seen[slot] == object) {
                return true;
            }
            if (remember) {
                seen[slot] = object;
            }
            return false;
        }
    }
}
