package com.cwgateway.app;

import com.cwgateway.config.Setting;
import java.io.PrintStream;

/**
 * {@code --help}, {@code --version}, {@code --self-test} (which checks an installation without AWS) and
 * {@code --probe} (a health check); the gateway itself takes no arguments, only settings.
 */
final class CommandLine {

    private CommandLine() {}

    /** Handles the arguments and returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(usage());
            return 0;
        }
        if (args.length == 1 && args[0].equals("--self-test")) {
            return SelfTest.run(out, err);
        }
        if (args.length == 1 && args[0].equals("--probe")) {
            return Probe.run(System::getenv, out, err);
        }
        if (args.length == 1 && args[0].equals("--version")) {
            out.print(Version.report());
            return 0;
        }
        err.println("unknown argument: " + String.join(" ", args));
        err.print(usage());
        return 2;
    }

    static String usage() {
        StringBuilder usage = new StringBuilder()
                .append("Usage: java -jar aws-cloudwatch-metrics-http-gateway.jar\n")
                .append("           [--help | --version | --self-test | --probe]\n\n")
                .append("Receives CloudWatch PutMetricData JSON over HTTP (POST /metrics, POST /batch), validates,\n")
                .append("buffers and publishes it to CloudWatch. --self-test runs one through a gateway on a free\n")
                .append("port without AWS. --probe asks the gateway these settings configure for GET /ready\n")
                .append("(ADMIN_PORT when set, else PORT) and exits 0 when it is ready, 1 otherwise.\n")
                .append("Settings come from environment variables:\n\n");
        for (Setting setting : Setting.values()) {
            usage.append(String.format("  %-30s default %s%n", setting.name(), setting.defaultValue()))
                    .append(wrap(setting.meaning(), "      "))
                    .append("      allowed: ").append(setting.allowed()).append('\n');
        }
        usage.append("\nAWS region, credentials and endpoint come from the AWS SDK's standard chains:\n")
                .append("  AWS_REGION, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, container and instance\n")
                .append("  roles, AWS_ENDPOINT_URL_CLOUDWATCH.\n");
        return usage.toString();
    }

    /** Breaks text into lines of at most 100 characters, each starting with {@code indent}. */
    private static String wrap(String text, String indent) {
        StringBuilder wrapped = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > 100) {
                wrapped.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            line.append(line.length() > indent.length() ? " " : "").append(word);
        }
        return wrapped.append(line).append('\n').toString();
    }
}
