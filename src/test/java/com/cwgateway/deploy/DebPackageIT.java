package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
                OPT + "/runtime/bin/java", UNIT, ENV, "/usr/bin/" + Dist.NAME + " -> " + OPT + "/bin/" + Dist.NAME)) {
            assertTrue(contents.lines().anyMatch(line -> line.endsWith(" ." + file)), "no " + file + " in:\n" + contents);
        }
        assertTrue(contents.lines().anyMatch(line -> line.startsWith("-rw------- root/root ") && line.endsWith(" ." + ENV)),
                "the env file may hold keys: it must be 0600 root:\n" + contents);

        Path control = dir.resolve("control");
        Dist.run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertEquals(ENV, Files.readString(control.resolve("conffiles")).strip());
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

    /** Every setting of the code, commented out at its default, so that uncommenting one changes nothing else. */
    @Test
    void theEnvFileListsEverySettingAtItsDefault() throws Exception {
        String env = Files.readString(root.resolve(ENV.substring(1)));
        for (Setting setting : Setting.values()) {
            assertTrue(env.contains("\n#" + setting.name() + "=" + setting.defaultValue() + "\n"),
                    setting + " missing from the env file:\n" + env);
        }
        assertTrue(env.contains("\n#AWS_REGION=\n"), env);
        assertTrue(env.lines().allMatch(line -> line.isEmpty() || line.startsWith("#")), env);
    }

    /** ExecStart's launcher, started as the unit starts it: its settings file, then the unit's Environment=. */
    @Test
    void theUnpackedGatewayRunsWithTheEnvFileAsTheUnitGivesIt() throws Exception {
        Path envFile = root.resolve(ENV.substring(1));
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

            Map<String, String> unitEnv = new HashMap<>(unitEnvironmentFile(envFile));
            unitEnv.put("SPOOL_DIR", dir.resolve("state").toString()); // Environment=SPOOL_DIR=<StateDirectory>
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

    /** Maintainer scripts run where systemd does not: configure enables the unit and starts nothing. */
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
        Map<String, String> env = Map.of("PATH", stubs.toString());
        for (List<String> call : List.of(List.of("postinst", "configure"), List.of("prerm", "remove"),
                List.of("postrm", "remove"), List.of("postrm", "purge"))) {
            List<String> command = new ArrayList<>(List.of(control.resolve(call.get(0)).toString()));
            command.addAll(call.subList(1, call.size()));
            try (GatewayProcess script = GatewayProcess.startCommand(command, env)) {
                assertEquals(0, script.awaitExit(java.time.Duration.ofSeconds(10)), call + ": " + script.stderr());
            }
        }
        String log = Files.readString(calls);
        assertTrue(log.contains("deb-systemd-helper enable " + Dist.NAME + ".service"), log);
        assertTrue(!log.contains(" start"), log);
        assertTrue(log.contains("deb-systemd-helper purge " + Dist.NAME + ".service"), log);
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
