package com.cwgateway.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.cwgateway.ingest.RepeatedStrings.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared strings of {@link RepeatedStrings}: shared when repeated, always the right characters. */
class RepeatedStringsTest {

    private final RepeatedStrings strings = new RepeatedStrings();

    /** The characters of {@code text} inside a larger buffer, as the JSON parser hands them over. */
    private RepeatedStrings.Text of(String text) {
        char[] buffer = ("[\"" + text + "\"]").toCharArray();
        return strings.of(buffer, 2, text.length());
    }

    @Test
    void aRepeatedStringIsOneInstance() {
        RepeatedStrings.Text first = of("storefront-web");
        assertEquals("storefront-web", first.string);
        assertSame(first.string, of("storefront-web").string);
    }

    @Test
    void manyMoreStringsThanSlotsAllComeBackRight() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < RepeatedStrings.SLOTS * 4; i++) {
            texts.add(Long.toString(random.nextLong() >>> random.nextInt(60), 36));
        }
        for (int round = 0; round < 3; round++) {
            for (String text : texts) {
                assertEquals(text, of(text).string);
            }
        }
    }

    @Test
    void stringsAlikeButForAFewCharactersInTheMiddleComeBackRight() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 10_000; i++) {
                String text = "host-" + (10_000 + i) + "-az1";
                assertEquals(text, of(text).string);
            }
        }
        assertEquals("x", of("x").string);
        assertSame(of("x").string, of("x").string);
    }

    @Test
    void longStringsAreMadeEachTime() {
        String text = "v".repeat(RepeatedStrings.MAX_LENGTH + 1);
        RepeatedStrings.Text first = of(text);
        RepeatedStrings.Text second = of(text);
        assertEquals(text, second.string);
        assertNotSame(first.string, second.string);
    }

    @Test
    void passingOneRuleSaysNothingOfAnother() {
        RepeatedStrings.Text text = of("AWS/EC2");
        assertNull(text.broken(Rule.METRIC_NAME));
        assertNotNull(text.broken(Rule.NAMESPACE));
        assertNull(of("AWS/EC2").broken(Rule.METRIC_NAME));
        assertNotNull(of("AWS/EC2").broken(Rule.NAMESPACE), "a broken rule is checked again, never remembered as passed");
    }

    @Test
    void aMetricNameOutsideAsciiIsStillCheckedAsANamespaceOrDimension() {
        RepeatedStrings.Text text = of("\u65e5\u672c");
        assertNull(text.broken(Rule.METRIC_NAME));
        assertSame(text, of("\u65e5\u672c"), "the string is shared, with the rule it passed");
        assertNotNull(of("\u65e5\u672c").broken(Rule.DIMENSION_VALUE));
        assertNotNull(of("\u65e5\u672c").broken(Rule.DIMENSION_NAME));
        assertNotNull(of("\u65e5\u672c").broken(Rule.NAMESPACE));
    }
}
