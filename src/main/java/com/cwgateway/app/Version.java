package com.cwgateway.app;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * What the build wrote into the jar's manifest: {@code Implementation-Version}, {@code Build-Commit} and
 * {@code Build-Time}; each is "unknown" when run from classes, not a jar (as tests do in process).
 */
final class Version {

    private static final Attributes BUILD = manifest();

    private Version() {}

    static String current() {
        return field("Implementation-Version");
    }

    /** {@code --version}: the version on the first line (for scripts), then what a bug report needs. */
    static String report() {
        return "aws-cloudwatch-metrics-http-gateway " + current() + "\n"
                + "commit " + field("Build-Commit") + ", built " + field("Build-Time") + "\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ") in " + System.getProperty("java.home") + "\n";
    }

    private static String field(String name) {
        String value = BUILD.getValue(name);
        return value == null || value.isBlank() ? "unknown" : value;
    }

    /** The main attributes of the jar this class was loaded from; none when it was not loaded from a jar. */
    private static Attributes manifest() {
        try {
            File source = new File(Version.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (source.isFile()) {
                try (JarFile jar = new JarFile(source)) {
                    if (jar.getManifest() != null) {
                        return jar.getManifest().getMainAttributes();
                    }
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            // no manifest to read: every field is "unknown"
        }
        return new Attributes();
    }
}
