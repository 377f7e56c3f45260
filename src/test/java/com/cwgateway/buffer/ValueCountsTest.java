package com.cwgateway.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The table of distinct values against a TreeMap doing the same sums: merging, counts and points, growth, the
 * unsorted walk, and the sort in place into ascending order (negative, zero, tiny and huge values included).
 */
@Timeout(30)
class ValueCountsTest {

    /** Value -> {count, points}, as the table should hold them. */
    private final TreeMap<Double, double[]> expected = new TreeMap<>();
    private final ValueCounts table = new ValueCounts();

    private boolean add(double value, double count, long points) {
        double key = value == 0 ? 0.0 : value;
        boolean isNew = !expected.containsKey(key);
        double[] held = expected.computeIfAbsent(key, k -> new double[2]);
        held[0] += count;
        held[1] += points;
        boolean tableSaysNew = table.add(value, count, points);
        assertEquals(isNew, tableSaysNew, "new value " + value);
        return tableSaysNew;
    }

    /** What the table holds, read by the walk it has in its present state. */
    private Map<Double, double[]> walk(int from) {
        Map<Double, double[]> seen = new TreeMap<>();
        table.forEach(from, (value, count, points) -> {
            assertEquals(null, seen.put(value, new double[] {count, points}), "visited twice: " + value);
        });
        return seen;
    }

    private void assertHoldsExpected(Map<Double, double[]> seen) {
        assertEquals(expected.keySet(), seen.keySet());
        expected.forEach((value, held) -> {
            assertEquals(held[0], seen.get(value)[0], "count of " + value);
            assertEquals(held[1], seen.get(value)[1], "points of " + value);
        });
    }

    @Test
    void aRepeatedValueAddsToItsCountAndPoints() {
        assertTrue(add(2.5, 1, 1));
        assertFalse(add(2.5, 1, 1));
        assertFalse(add(2.5, 4, 2));
        assertTrue(add(-2.5, 1, 1));

        assertEquals(2, table.size());
        assertHoldsExpected(walk(0));
    }

    @Test
    void zeroAndNegativeZeroAreOneValue() {
        assertTrue(add(0.0, 1, 1));
        assertFalse(add(-0.0, 2, 1));

        table.sortInPlace();
        assertEquals(1, table.size());
        assertEquals(0.0, table.valueAt(0));
        assertEquals(Double.doubleToLongBits(0.0), Double.doubleToLongBits(table.valueAt(0)), "+0.0, not -0.0");
        assertEquals(3, table.countAt(0));
        assertEquals(2, table.pointsAt(0));
    }

    @Test
    void growsKeepingEveryValueAndAtMostTwoThirdsFull() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            add(Math.floor(random.nextGaussian() * 3000), 1 + random.nextInt(3), 1);
            assertTrue(table.size() * 3 <= table.capacity() * 2, table.size() + " in " + table.capacity());
            assertEquals(0, table.capacity() & (table.capacity() - 1), "a power of two: " + table.capacity());
        }
        assertEquals(expected.size(), table.size());
        assertHoldsExpected(walk(0));
    }

    @Test
    void sortsInPlaceIntoAscendingOrderWithCountsAndPoints() {
        List<Double> values = new ArrayList<>(List.of(-1.174271e108, 1.174271e108, -8.51592e-109, 8.51592e-109,
                -0.0, 0.0, -1.0, 1.0, -1.5, 3.25, Double.MIN_NORMAL, -Double.MIN_NORMAL, 1e300, -1e300));
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            values.add(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
        }
        for (double value : values) {
            add(value, random.nextInt(4) * 0.5, 1 + random.nextInt(5));
            add(value, 1, 1);
        }

        table.sortInPlace();
        table.sortInPlace(); // a second sort changes nothing

        assertEquals(expected.size(), table.size());
        List<Double> sorted = new ArrayList<>(expected.keySet());
        for (int i = 0; i < table.size(); i++) {
            assertEquals(sorted.get(i), table.valueAt(i), "value " + i);
            assertEquals(expected.get(sorted.get(i))[0], table.countAt(i), "count of " + sorted.get(i));
            assertEquals((long) expected.get(sorted.get(i))[1], table.pointsAt(i), "points of " + sorted.get(i));
        }
        assertHoldsExpected(walk(0));
    }

    @Test
    void aSortedWalkStartsWhereItIsAskedToInOrder() {
        for (int i = 20; i > 0; i--) {
            add(i * 1.5, 1, 1);
        }
        table.sortInPlace();

        List<Double> from15 = new ArrayList<>();
        table.forEach(15, (value, count, points) -> from15.add(value));

        assertEquals(List.of(24.0, 25.5, 27.0, 28.5, 30.0), from15);
    }

    @Test
    void countsOfOneAreThePointsUntilAnotherCountComes() {
        for (int i = 0; i < 12; i++) {
            add(i % 5, 1, 1);
        }
        assertFalse(table.keepsPoints());
        assertHoldsExpected(walk(0));

        add(4, 1, 3); // one count, several points: a merged datum put back
        assertTrue(table.keepsPoints());
        assertHoldsExpected(walk(0));
    }
}
