package com.cwgateway.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table names every setting with the default the code uses. */
class ReadmeSettingsTest {

    @Test
    void everySettingIsDocumentedWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting setting : Setting.values()) {
            String row = "| `" + setting.name() + "` | `" + setting.defaultValue() + "` |";
            assertTrue(readme.contains(row), "README.md lacks the row " + row);
        }
    }
}
