package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.testsupport.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd unit as systemd itself judges it, offline (no systemd as PID 1 is needed): it verifies, and its
 * exposure in {@code systemd-analyze security} is at most 2.0. Needs {@code systemd-analyze} (Debian package
 * {@code systemd}; {@code .ci/run} installs it).
 */
@Timeout(60)
class SystemdUnitTest {

    private static final Path UNIT = Path.of("deploy/systemd/aws-cloudwatch-metrics-http-gateway.service");
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d+)");

    @TempDir
    Path dir;

    @Test
    void theUnitVerifiesAndItsExposureIsAtMostTwo() throws Exception {
        assertTrue(Files.exists(UNIT), UNIT + " is missing");
        // verify checks that ExecStart's program exists: run it on a copy that names a program this machine has
        // (the launcher itself is verified where the .deb is: DebPackageIT).
        Path copy = dir.resolve(UNIT.getFileName());
        Files.writeString(copy, Files.readString(UNIT).replaceFirst("\nExecStart=\\S+\n",
                "\nExecStart=" + Path.of(System.getProperty("java.home"), "bin", "java") + "\n"));

        Commands.Result verify = Commands.run("systemd-analyze", "verify", copy.toString());
        assertEquals(0, verify.exitCode(), verify.output());

        Commands.Result security = Commands.run("systemd-analyze", "security", "--offline=true", UNIT.toString());
        Matcher exposure = EXPOSURE.matcher(security.output());
        assertTrue(exposure.find(), security.output());
        assertTrue(Double.parseDouble(exposure.group(1)) <= 2.0, "exposure " + exposure.group(1) + ":\n"
                + security.output());
    }

    @Test
    void aBadSettingIsNotRestartedForeverAndEveryLineIsTagged() throws Exception {
        String unit = Files.readString(UNIT);
        assertTrue(unit.contains("\nRestartPreventExitStatus=2\n"), "exit 2 (a bad setting) must not be restarted");
        assertTrue(unit.contains("\nSyslogIdentifier=aws-cloudwatch-metrics-http-gateway\n"), unit);
    }
}
