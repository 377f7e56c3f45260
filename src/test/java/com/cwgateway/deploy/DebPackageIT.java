package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.config.Setting;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.Commands;
import com.cwgateway.testsupport.Dist;
import com.cwgateway.testsupport.GatewayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb of {@code make package}, read with dpkg-deb and unpacked into a temporary directory (never
 * installed: the host's package database is not touched): its control data, files, conffile, unit and
 * maintainer scripts, and its gateway run as the unit runs it.
 */
@Timeout(90)
class DebPackageIT {

    private static final String OPT = "/opt/" + Dist.NAME;
    private static final String UNIT = "/lib/systemd/system/" + Dist.NAME + ".service";
    private static final String ENV = "/etc/" + Dist.NAME + "/env";
    private static final String TEMPLATE = OPT + "/env.example";
    private static final Path SOURCE_UNIT = Path.of("deploy/systemd/" + Dist.NAME + ".service");

    @TempDir
    Path dir;
    private Path deb;
    private Path root;

    @BeforeEach
    void unpack() throws Exception {
        deb = Dist.file("_amd64.deb");
        root = dir.resolve("root");
        Dist.run("dpkg-deb", "-x", deb.toString(), root.toString());
    }

    @Test
    void controlDataAndFilesAreThoseOfAServiceInOpt() throws Exception {
        String info = Dist.run("dpkg-deb", "--info", deb.toString());
        for (String field : List.of("Package: " + Dist.NAME, "Version: " + Dist.version(), "Architecture: amd64",
                "Depends: libc6", "Section: ", "Priority: ", "Maintainer: ", "Installed-Size: ", "Description: ")) {
            assertTrue(info.contains("\n " + field), "no " + field + " in:\n" + info);
        }
        String contents = Dist.run("dpkg-deb", "--contents", deb.toString());
        for (String file : List.of(OPT + "/bin/" + Dist.NAME, OPT + "/lib/" + Dist.NAME + ".jar",
                OPT + "/runtime/bin/java", UNIT, TEMPLATE, "/usr/bin/" + Dist.NAME + " -> " + OPT + "/bin/" + Dist.NAME)) {
            assertTrue(contents.lines().anyMatch(line -> line.endsWith(" ." + file)), "no " + file + " in:\n" + contents);
        }
        // No conffile: a template that changes with each release would stop unattended upgrades at a prompt;
        // postinst makes the settings file from it when there is none.
        assertTrue(contents.lines().noneMatch(line -> line.contains(" ./etc/")), contents);
        Path control = dir.resolve("control");
        Dist.run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertFalse(Files.exists(control.resolve("conffiles")));
    }

    /** The packaged unit is deploy/systemd's as it is: it runs the launcher with the packaged settings file. */
    @Test
    void theUnitIsTheSourceUnitRunningTheLauncherAndVerifies() throws Exception {
        List<String> packaged = Files.readAllLines(root.resolve(UNIT.substring(1)));
        assertEquals(Files.readAllLines(SOURCE_UNIT), packaged);
        assertTrue(packaged.contains("ExecStart=" + OPT + "/bin/" + Dist.NAME), String.join("\n", packaged));
        assertTrue(packaged.contains("EnvironmentFile=" + ENV), String.join("\n", packaged));

        // verify checks that ExecStart's program exists: a copy that names the unpacked launcher.
        Path copy = dir.resolve(Dist.NAME + ".service");
        Files.writeString(copy, Files.readString(root.resolve(UNIT.substring(1)))
                .replace("ExecStart=" + OPT, "ExecStart=" + root + OPT)
                .replace("EnvironmentFile=" + ENV, "EnvironmentFile=" + root + ENV));
        Commands.Result verify = Commands.run("systemd-analyze", "verify", copy.toString());
        assertEquals(0, verify.exitCode(), verify.output());
    }

    /**
     * Every setting of the code, commented out at the value it has under the unit (its default; SPOOL_DIR the
     * unit's), and the launcher's JVM flags: uncommenting a line as it stands changes nothing.
     */
    @Test
    void theEnvTemplateListsEverySettingAtTheValueItHasUnderTheUnit() throws Exception {
        String env = Files.readString(root.resolve(TEMPLATE.substring(1)));
        for (Setting setting : Setting.values()) {
            String value = setting == Setting.SPOOL_DIR ? "/var/lib/" + Dist.NAME : setting.defaultValue();
            assertTrue(env.contains("\n#" + setting.name() + "=" + value + "\n"),
                    setting + " missing from the env file:\n" + env);
        }
        assertTrue(Files.readString(SOURCE_UNIT).contains("\nEnvironment=SPOOL_DIR=/var/lib/" + Dist.NAME + "\n"));
        String launcher = Files.readString(root.resolve(OPT.substring(1) + "/bin/" + Dist.NAME));
        java.util.regex.Matcher jvm = java.util.regex.Pattern.compile("\n#JAVA_OPTS=([^\n]+)\n").matcher(env);
        assertTrue(jvm.find() && launcher.contains(jvm.group(1)), "the launcher's own flags:\n" + env);
        assertTrue(env.contains("\n#AWS_REGION=\n"), env);
        assertTrue(env.lines().allMatch(line -> line.isEmpty() || line.startsWith("#")), env);
    }

    /** ExecStart's launcher, started as the unit starts it: its Environment=, overridden by the settings file. */
    @Test
    void theUnpackedGatewayRunsWithTheEnvFileAsTheUnitGivesIt() throws Exception {
        Path envFile = dir.resolve("env");
        Files.copy(root.resolve(TEMPLATE.substring(1)), envFile); // as postinst makes it
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start()) {
            Map<String, String> settings = GatewayProcess.environment(cloudWatch.endpoint(), Map.of());
            // What an administrator does: uncomment lines of the packaged file and fill them in.
            String edited = Files.readString(envFile);
            for (String key : List.of("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                    "AWS_ENDPOINT_URL_CLOUDWATCH", "PORT", "HOST")) {
                assertTrue(edited.contains("\n#" + key + "="), key + " is not in the env file");
                edited = edited.replaceFirst("\n#" + key + "=[^\n]*", "\n" + key + "=" + settings.get(key));
            }
            Files.writeString(envFile, edited);

            Map<String, String> unitEnv = new HashMap<>();
            unitEnv.put("SPOOL_DIR", dir.resolve("state").toString()); // Environment=SPOOL_DIR=<StateDirectory>
            unitEnv.putAll(unitEnvironmentFile(envFile));
            unitEnv.put("AWS_CONFIG_FILE", settings.get("AWS_CONFIG_FILE"));
            unitEnv.put("AWS_SHARED_CREDENTIALS_FILE", settings.get("AWS_SHARED_CREDENTIALS_FILE"));
            unitEnv.put("AWS_EC2_METADATA_DISABLED", "true");
            unitEnv.put("PATH", Dist.toolsOnly(dir.resolve("tools"), "sh", "readlink", "dirname").toString());
            try (GatewayProcess gateway = GatewayProcess.startCommand(
                    List.of(root + OPT + "/bin/" + Dist.NAME), unitEnv)) {
                Dist.deliversWhatItAccepts(gateway, cloudWatch);
            }
        }
    }

    /**
     * Maintainer scripts run where systemd does not: configure makes the settings file from the template when
     * it is missing (never over an edited one), enables the unit and starts nothing; purge removes the file.
     * They run on a copy of the package's files ({@code DPKG_ROOT}), never on this host's /etc.
     */
    @Test
    void postinstEnablesButDoesNotStartAndNoScriptFailsWithoutSystemd() throws Exception {
        Path control = dir.resolve("control");
        Dist.run("dpkg-deb", "-e", deb.toString(), control.toString());
        Path stubs = Dist.toolsOnly(dir.resolve("stubs"), "sh");
        Path calls = dir.resolve("calls");
        for (String tool : List.of("deb-systemd-helper", "deb-systemd-invoke", "systemctl")) {
            Files.writeString(stubs.resolve(tool), "#!/bin/sh\necho \"" + tool + " $*\" >> " + calls + "\n");
            stubs.resolve(tool).toFile().setExecutable(true);
        }
        Path tools = Dist.toolsOnly(stubs, "mkdir", "install", "rm", "rmdir");
        Map<String, String> env = Map.of("PATH", tools.toString(), "DPKG_ROOT", root.toString());
        Path settings = root.resolve(ENV.substring(1));
        runScript(control, env, "postinst", "configure");
        assertEquals(Files.readString(root.resolve(TEMPLATE.substring(1))), Files.readString(settings));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(settings)));
        Files.writeString(settings, "AWS_REGION=eu-west-1\n");
        runScript(control, env, "postinst", "configure", "0.0.9"); // an upgrade
        assertEquals("AWS_REGION=eu-west-1\n", Files.readString(settings), "an edited file is kept");
        for (List<String> call : List.of(List.of("prerm", "remove"), List.of("postrm", "remove"))) {
            runScript(control, env, call.toArray(String[]::new));
        }
        assertTrue(Files.exists(settings), "remove keeps the settings");
        runScript(control, env, "postrm", "purge");
        assertFalse(Files.exists(settings), "purge removes them");
        String log = Files.readString(calls);
        assertTrue(log.contains("deb-systemd-helper enable " + Dist.NAME + ".service"), log);
        assertTrue(!log.contains(" start"), log);
        assertTrue(log.contains("deb-systemd-helper purge " + Dist.NAME + ".service"), log);
    }

    private static void runScript(Path control, Map<String, String> env, String... call) throws Exception {
        List<String> command = new ArrayList<>(List.of(control.resolve(call[0]).toString()));
        command.addAll(List.of(call).subList(1, call.length));
        try (GatewayProcess script = GatewayProcess.startCommand(command, env)) {
            assertEquals(0, script.awaitExit(java.time.Duration.ofSeconds(10)), List.of(call) + ": " + script.stderr());
        }
    }

    /** The env file as systemd reads it: KEY=value lines; comments and blank lines skipped. */
    private static Map<String, String> unitEnvironmentFile(Path file) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                env.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return env;
    }
}
