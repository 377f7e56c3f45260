package com.cwgateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.cwgateway.testsupport.Commands;
import com.cwgateway.testsupport.GatewayUnderTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring kit in {@code deploy/}: the alert rules as promtool judges them (they load, and their unit tests
 * in {@code alerts_test.yml} pass), the Grafana dashboard as an import needs it, and every metric either names
 * served by a real gateway's {@code GET /metrics}. Needs {@code promtool} (Debian package {@code prometheus};
 * {@code .ci/run} installs it).
 */
class MonitoringConfigTest {

    private static final Path RULES = Path.of("deploy/prometheus/alerts.yml");
    private static final Path RULE_TESTS = Path.of("deploy/prometheus/alerts_test.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/aws-cloudwatch-metrics-http-gateway.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Series Prometheus makes itself for every target, not the gateway. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "offset", "bool", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern EXPR = Pattern.compile("^(\\s*)expr:\\s*(.*)$");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*[a-zA-Z_]\\w*\\s*\\)\\s*$");
    private static final Pattern NAME = Pattern.compile("(?<![\\w:.$])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void theRulesLoadInPromtool() throws Exception {
        Commands.Result check = promtool("check", "rules", RULES.toString());
        assertEquals(0, check.exitCode(), "promtool check rules " + RULES + ":\n" + check.output());
    }

    @Test
    @Timeout(60)
    void theRulesUnitTestsPass() throws Exception {
        Commands.Result test = promtool("test", "rules", RULE_TESTS.toString());
        assertEquals(0, test.exitCode(), "promtool test rules " + RULE_TESTS + ":\n" + test.output());
    }

    @Test
    @Timeout(30)
    void everyAlertHasASeverityAndSaysWhatToDo() throws Exception {
        String[] alerts = Files.readString(RULES).split("\n\\s*- alert: ");
        assertTrue(alerts.length > 1, "no alerts in " + RULES);
        for (int i = 1; i < alerts.length; i++) {
            String alert = alerts[i];
            String name = alert.lines().findFirst().orElseThrow().strip();
            for (String key : List.of("expr:", "severity:", "summary:", "description:")) {
                assertTrue(alert.contains(key), name + " has no " + key);
            }
        }
        assertEquals(alerts.length - 1, ruleExpressions().size(), "an expr: this test cannot read in " + RULES);
    }

    @Test
    @Timeout(30)
    void theDashboardIsReadyToImport() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        assertFalse(dashboard.path("title").asText().isBlank(), "no title");
        String uid = dashboard.path("uid").asText();
        assertTrue(!uid.isBlank() && uid.length() <= 40, "a uid of 1 to 40 characters: " + uid);
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion " + dashboard.path("schemaVersion"));
        assertTrue(dashboard.path("id").isNull() || dashboard.path("id").isMissingNode(),
                "an id would clash with the importing Grafana's own");

        List<String> variables = new ArrayList<>();
        boolean dataSourceChoice = false;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            variables.add(variable.path("name").asText());
            dataSourceChoice |= variable.path("name").asText().equals("DS_PROMETHEUS")
                    && variable.path("type").asText().equals("datasource")
                    && variable.path("query").asText().equals("prometheus");
        }
        for (JsonNode input : dashboard.path("__inputs")) {
            dataSourceChoice |= input.path("name").asText().equals("DS_PROMETHEUS")
                    && input.path("pluginId").asText().equals("prometheus");
        }
        assertTrue(dataSourceChoice, "no DS_PROMETHEUS data source variable or input: " + variables);
        assertTrue(variables.containsAll(List.of("job", "instance")), "variables: " + variables);

        JsonNode panels = dashboard.path("panels");
        assertTrue(panels.isArray() && !panels.isEmpty(), "no panels");
        Set<Integer> ids = new HashSet<>();
        int withTargets = 0;
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertTrue(ids.add(panel.path("id").asInt()), "two panels with id " + panel.path("id"));
            assertTrue(panel.path("gridPos").has("w") && panel.path("gridPos").has("h"), title + ": no gridPos");
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertFalse(title.isBlank(), "a panel without a title");
            assertEquals("${DS_PROMETHEUS}", panel.path("datasource").path("uid").asText(), title);
            assertTrue(panel.path("targets").isArray() && !panel.path("targets").isEmpty(), title + ": no targets");
            for (JsonNode target : panel.path("targets")) {
                assertFalse(target.path("expr").asText().isBlank(), title + ": a target without expr");
                assertFalse(target.path("refId").asText().isBlank(), title + ": a target without refId");
                assertEquals("${DS_PROMETHEUS}", target.path("datasource").path("uid").asText(), title);
            }
            withTargets++;
        }
        assertTrue(withTargets >= 12, withTargets + " panels with queries");
    }

    /** Every panel's query parses, as promtool reads it in a recording rule, with the variables filled in. */
    @Test
    @Timeout(60)
    void everyDashboardQueryIsValidPromQL() throws Exception {
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (String expr : dashboardExpressions(JSON.readTree(Files.readString(DASHBOARD)))) {
            String filled = expr.replace("$__rate_interval", "1m").replace("$job", ".+").replace("$instance", ".+");
            rules.append("      - record: dashboard:query_").append(++n).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(filled)).append('\n');
        }
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules);
        Commands.Result check = promtool("check", "rules", file.toString());
        assertEquals(0, check.exitCode(), check.output() + "\n" + rules);
    }

    /** A name the gateway does not serve would make a panel blank or an alert never fire, silently. */
    @Test
    @Timeout(60)
    void everyMetricTheDashboardAndTheRulesNameIsServedByTheGateway() throws Exception {
        Set<String> served = servedNames();
        Set<String> named = new TreeSet<>();
        for (String expr : ruleExpressions()) {
            named.addAll(metricNames(expr));
        }
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        for (String expr : dashboardExpressions(dashboard)) {
            named.addAll(metricNames(expr));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                Matcher labelValues = LABEL_VALUES.matcher(variable.path("definition").asText());
                assertTrue(labelValues.matches(), "a variable query this test cannot read: " + variable);
                named.addAll(metricNames(labelValues.group(1)));
            }
        }
        assertTrue(named.size() > 10, "too few names found, the reading is off: " + named);
        named.removeAll(SCRAPE_SERIES);
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(served);
        assertTrue(missing.isEmpty(), "named in " + RULES + " or " + DASHBOARD + " but not served by GET /metrics: "
                + missing + "\nserved: " + new TreeSet<>(served));
    }

    /** What Prometheus would read: promtool's own checks (format, names, units, help) pass on the real page. */
    @Test
    @Timeout(60)
    void thePageTheGatewayServesPassesPromtoolCheckMetrics() throws Exception {
        Path page = Files.createTempFile("gateway-metrics", ".txt");
        try {
            Files.writeString(page, scrape());
            promtool("--version"); // fails with the package to install when promtool is missing
            Commands.Result check = Commands.run("sh", "-c", "promtool check metrics < '" + page + "'");
            assertEquals(0, check.exitCode(), check.output());
            assertEquals("", check.output().strip(), "promtool's lint findings");
        } finally {
            Files.deleteIfExists(page);
        }
    }

    /** GET /metrics of a real gateway (with a spool) after a publish. */
    private static String scrape() throws Exception {
        try (GatewayUnderTest gateway = GatewayUnderTest.start()) {
            assertEquals(202, gateway.postJson("/metrics", "{\"Namespace\":\"MyApp\",\"MetricData\":[{\"MetricName\":"
                    + "\"Requests\",\"Value\":1,\"Unit\":\"Count\"}]}").statusCode());
            gateway.cloudWatch.takeCall(Duration.ofSeconds(10));
            HttpResponse<String> scrape = gateway.send(HttpRequest.newBuilder(gateway.uri("/metrics")).GET());
            assertEquals(200, scrape.statusCode(), scrape.body());
            return scrape.body();
        }
    }

    /** The names a real gateway (with a spool, after a publish) serves: each family, and its histogram/summary series. */
    private static Set<String> servedNames() throws Exception {
        String text = scrape();
        Set<String> names = new HashSet<>();
        Matcher type = TYPE_LINE.matcher(text);
        while (type.find()) {
            String family = type.group(1);
            names.add(family);
            switch (type.group(2)) {
                case "histogram" -> names.addAll(List.of(family + "_bucket", family + "_sum", family + "_count"));
                case "summary" -> names.addAll(List.of(family + "_sum", family + "_count"));
                default -> { }
            }
        }
        assertTrue(names.contains("gateway_info"), "no families read from:\n" + text);
        return names;
    }

    /** The rules' expr: values, inline or as a block (the forms alerts.yml uses). */
    private static List<String> ruleExpressions() throws IOException {
        List<String> lines = Files.readAllLines(RULES);
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher expr = EXPR.matcher(lines.get(i));
            if (!expr.matches()) {
                continue;
            }
            String value = expr.group(2).strip();
            if (!value.matches("[|>][+-]?")) {
                exprs.add(value.replaceAll("^(['\"])(.*)\\1$", "$2"));
                continue;
            }
            int indent = expr.group(1).length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                    || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                block.append(lines.get(++i).strip()).append('\n');
            }
            exprs.add(block.toString());
        }
        return exprs;
    }

    private static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
            }
            for (JsonNode nested : panel.path("panels")) { // a collapsed row keeps its panels inside
                for (JsonNode target : nested.path("targets")) {
                    exprs.add(target.path("expr").asText());
                }
            }
        }
        return exprs;
    }

    /**
     * The metric names in a PromQL expression: identifiers that are not functions, keywords, label names in
     * matchers or in by/without/on/ignoring lists, strings, durations or Grafana variables.
     */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher name = NAME.matcher(bare);
        while (name.find()) {
            if (!PROMQL_WORDS.contains(name.group().toLowerCase(java.util.Locale.ROOT))) {
                names.add(name.group());
            }
        }
        return names;
    }

    private static Commands.Result promtool(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        try {
            return Commands.run(command.toArray(String[]::new));
        } catch (IOException e) {
            fail("promtool is not installed (" + e.getMessage() + "): install the Debian package prometheus "
                    + "(apt-get install prometheus), as .ci/run does");
            throw e;
        }
    }
}
