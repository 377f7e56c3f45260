package com.cwgateway.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What the build wrote into {@code version.properties}: the version, the commit and when it was built. */
final class Version {

    private static final Properties BUILD = load();

    private Version() {}

    static String current() {
        return BUILD.getProperty("version", "unknown");
    }

    /**
     * {@code --version}: the version on the first line (what scripts read), then the commit and build time,
     * then the Java runtime that runs it, which is what a bug report needs.
     */
    static String report() {
        return "aws-cloudwatch-metrics-http-gateway " + current() + "\n"
                + "commit " + BUILD.getProperty("commit", "unknown") + ", built " + BUILD.getProperty("built", "unknown")
                + "\n"
                + "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ") in " + System.getProperty("java.home") + "\n";
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/com/cwgateway/version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // the defaults ("unknown") stand
        }
        return properties;
    }
}
