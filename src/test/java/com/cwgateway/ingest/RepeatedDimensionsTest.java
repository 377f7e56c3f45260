package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.cwgateway.metric.Dimension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared dimension lists of {@link RepeatedDimensions}: shared when repeated, lists like any other. */
class RepeatedDimensionsTest {

    private final RepeatedDimensions sets = new RepeatedDimensions();

    private List<Dimension> of(String... namesAndValues) {
        String[] names = new String[namesAndValues.length / 2];
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = namesAndValues[2 * i];
            values[i] = new String(namesAndValues[2 * i + 1]); // equal characters, not the same instance
        }
        return sets.of(names, values, names.length);
    }

    @Test
    void aRepeatedSetIsOneListThatBehavesLikeAnyList() {
        List<Dimension> first = of("Operation", "Get", "Region", "us-east-1");
        assertSame(first, of("Operation", "Get", "Region", "us-east-1"));
        List<Dimension> plain = List.of(new Dimension("Operation", "Get"), new Dimension("Region", "us-east-1"));
        assertEquals(plain, first);
        assertEquals(first, new ArrayList<>(plain));
        assertEquals(plain.hashCode(), first.hashCode());
        assertThrows(UnsupportedOperationException.class, () -> first.add(new Dimension("a", "b")));
    }

    @Test
    void largeSetsAreMadeEachTimeAndNeverKept() {
        String longValue = "v".repeat(RepeatedDimensions.MAX_CHARACTERS);
        List<Dimension> first = of("Host", longValue);
        assertEquals(List.of(new Dimension("Host", longValue)), first);
        assertNotSame(first, of("Host", longValue));
    }

    @Test
    void manyMoreSetsThanSlotsAllComeBackRight() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < RepeatedDimensions.SLOTS * 3; i++) {
                assertEquals(List.of(new Dimension("Host", "h" + i), new Dimension("Zone", "z" + (i % 7))),
                        of("Host", "h" + i, "Zone", "z" + (i % 7)));
            }
        }
        assertEquals(List.of(), of());
    }
}
