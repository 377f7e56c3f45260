package com.cwgateway.testsupport;

import java.util.ArrayList;
import java.util.List;

/** Strings made to collide: equal length and equal {@code hashCode}, built from blocks of "Aa" and "BB". */
public final class CollidingStrings {

    private CollidingStrings() {}

    /** {@code count} distinct strings (at most 1024) of 20 characters, all with one {@code hashCode}. */
    public static List<String> of(int count) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder value = new StringBuilder();
            for (int bit = 0; bit < 10; bit++) {
                value.append((i >> bit & 1) == 0 ? "Aa" : "BB");
            }
            values.add(value.toString());
        }
        return values;
    }
}
