package io.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DemoGeneratorTest {
    private static final Instant END = Instant.parse("2026-11-25T13:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RFC3164 =
            Pattern.compile("^<\\d{1,3}>[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ [\\w.-]+(\\[\\d+])?: .*$");
    private static final Pattern RFC5424 = Pattern.compile(
            "^<\\d{1,3}>1 \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00 \\S+ \\S+ \\S+ \\S+ (-|\\[.*?]) .*$");

    private static final Pattern CEF_SYSLOG =
            Pattern.compile("^<\\d{1,3}>[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ CEF:0\\|.*$");

    @TempDir
    static Path sharedDir;

    private static GenerationSummary defaults;

    @BeforeAll
    static void generateDefaults() throws IOException {
        defaults = DemoGenerator.generate(sharedDir.resolve("a"), GeneratorOptions.defaults(END));
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new GeneratorOptions(END, 0, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeneratorOptions(END, 169, 1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GeneratorOptions(END, 24, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GeneratorOptions.defaults(END)).isEqualTo(new GeneratorOptions(END, 24, 42, 1.0));
    }

    @Test
    void sameOptionsGiveIdenticalBytes(@TempDir Path other) throws IOException {
        Path first = sharedDir.resolve("a");
        GenerationSummary again = DemoGenerator.generate(other, GeneratorOptions.defaults(END));
        assertThat(relative(other, again.files())).isEqualTo(relative(first, defaults.files()));
        assertThat(again.eventsByKind()).isEqualTo(defaults.eventsByKind());
        for (Path file : defaults.files()) {
            Path twin = other.resolve(first.relativize(file));
            assertThat(Files.mismatch(file, twin)).as(file.toString()).isEqualTo(-1L);
        }
    }

    @Test
    void differentSeedGivesDifferentOutput(@TempDir Path dir) throws IOException {
        GenerationSummary one = DemoGenerator.generate(dir.resolve("one"), new GeneratorOptions(END, 2, 1, 1.0));
        GenerationSummary two = DemoGenerator.generate(dir.resolve("two"), new GeneratorOptions(END, 2, 2, 1.0));
        Path a = dir.resolve("one/syslog/vm-lnx-01-rfc5424.log");
        Path b = dir.resolve("two/syslog/vm-lnx-01-rfc5424.log");
        assertThat(Files.mismatch(a, b)).isNotEqualTo(-1L);
        assertThat(one.totalEvents()).isPositive();
        assertThat(two.totalEvents()).isPositive();
    }

    @Test
    void volumeAtDefaultsIsInRange() {
        assertThat(defaults.totalEvents())
                .as(defaults.eventsByKind().toString())
                .isBetween(150_000L, 300_000L);
        assertThat(defaults.eventsByKind().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(defaults.totalEvents());
    }

    @Test
    void shortWindowStillHoldsTheStory(@TempDir Path dir) throws IOException {
        GenerationSummary summary = DemoGenerator.generate(dir, new GeneratorOptions(END, 1, 42, 0.1));
        assertThat(sprayedUsers(dir)).hasSizeGreaterThanOrEqualTo(8);
        assertThat(summary.eventsByKind()).containsKeys("windows_system", "storage_analytics");
        assertThat(countLines(dir.resolve("windows/vm-web-01/System.xml"), "<EventID Qualifiers='16384'>7045<"))
                .isEqualTo(1);
    }

    @Test
    void everyFileParsesAsItsFormat() throws Exception {
        Path root = sharedDir.resolve("a");
        for (Path file : defaults.files()) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (relative.startsWith("insights-activity-logs/")
                    || relative.startsWith("insights-logs-networksecuritygroupflowevent/")) {
                JsonNode envelope = JSON.readTree(file.toFile());
                assertThat(envelope.get("records").isArray()).as(relative).isTrue();
                assertThat(envelope.get("records").size()).as(relative).isPositive();
            } else if (relative.startsWith("insights-logs-")) {
                for (String line : lines) {
                    JsonNode record = JSON.readTree(line);
                    assertThat(record.has("time") && record.has("category"))
                            .as(relative)
                            .isTrue();
                }
            } else if (relative.startsWith("appinsights/") || relative.startsWith("alerts/")) {
                JsonNode array = JSON.readTree(file.toFile());
                assertThat(array.isArray()).as(relative).isTrue();
            } else if (relative.startsWith("windows/")) {
                Document document = parseXml(Files.readString(file, StandardCharsets.UTF_8));
                assertThat(document.getDocumentElement()
                                .getElementsByTagNameNS("*", "Event")
                                .getLength())
                        .isEqualTo(lines.size());
            } else if (relative.endsWith("-rfc3164.log")) {
                lines.forEach(line -> assertThat(line).as(relative).matches(RFC3164));
            } else if (relative.endsWith("-rfc5424.log")) {
                lines.forEach(line -> assertThat(line).as(relative).matches(RFC5424));
            } else if (relative.equals("syslog/firewall-cef.log")) {
                for (String line : lines) {
                    assertThat(line).matches(CEF_SYSLOG);
                    String cef = line.substring(line.indexOf("CEF:"));
                    // split on pipes not preceded by a backslash: 7 header fields, then the extension
                    String[] parts = cef.split("(?<!\\\\)\\|", 8);
                    assertThat(parts).hasSize(8);
                    assertThat(parts[0]).isEqualTo("CEF:0");
                    assertThat(parts[6]).matches("\\d+");
                    assertThat(parts[7]).matches("^\\w+=.*");
                }
            } else if (relative.startsWith("$logs/blob/")) {
                for (String line : lines) {
                    int fields = analyticsFields(line);
                    if (line.startsWith("1.0;")) {
                        assertThat(fields).as(line).isEqualTo(30);
                    } else {
                        assertThat(line).startsWith("2.0;");
                        assertThat(fields).as(line).isEqualTo(38);
                    }
                }
            } else {
                throw new AssertionError("unexpected file " + relative);
            }
        }
    }

    @Test
    void bothStorageAnalyticsVersionsArePresent() throws IOException {
        Set<String> versions = new HashSet<>();
        for (Path file : defaults.files()) {
            if (file.toString().endsWith("000000.log")) {
                for (String line : Files.readAllLines(file)) {
                    versions.add(line.substring(0, 3));
                }
            }
        }
        assertThat(versions).containsExactlyInAnyOrder("1.0", "2.0");
    }

    @Test
    void attackStoryIsPresent() throws IOException {
        Path root = sharedDir.resolve("a");
        // (a) spray and (b) the risky success from a new country
        assertThat(sprayedUsers(root)).hasSizeGreaterThanOrEqualTo(8);
        List<JsonNode> signIns = ndjson(root, "insights-logs-signinlogs/");
        List<JsonNode> victim = signIns.stream()
                .filter(r -> r.at("/properties/userPrincipalName").asText().equals("megan.bowen@contoso.com"))
                .toList();
        assertThat(victim)
                .anyMatch(r -> r.at("/properties/riskLevelDuringSignIn")
                                .asText()
                                .equals("high")
                        && r.at("/properties/status/errorCode").asInt() == 0
                        && r.at("/properties/location/countryOrRegion").asText().equals("RU"));
        assertThat(victim)
                .filteredOn(r ->
                        r.at("/properties/location/countryOrRegion").asText().equals("RU")
                                && r.at("/properties/ipAddress").asText().equals(Estate.ATTACKER_IP))
                .hasSize(1);
        // (c) and (d) in the activity log
        List<String> operations = new ArrayList<>();
        for (Path file : defaults.files()) {
            if (root.relativize(file).toString().startsWith("insights-activity-logs")) {
                for (JsonNode record : JSON.readTree(file.toFile()).get("records")) {
                    if (record.get("callerIpAddress").asText().equals(Estate.ATTACKER_IP)) {
                        operations.add(record.get("operationName").asText() + " "
                                + record.at("/properties/requestbody").asText(""));
                    }
                }
            }
        }
        assertThat(operations)
                .anyMatch(o -> o.startsWith("MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE")
                        && o.contains(ActivityLogWriter.OWNER_ROLE_DEFINITION));
        assertThat(operations)
                .anyMatch(o -> o.startsWith("MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE")
                        && o.contains("\"sourceAddressPrefix\":\"*\"")
                        && o.contains("\"destinationPortRange\":\"3389\""));
        List<JsonNode> audit = ndjson(root, "insights-logs-auditlogs/");
        assertThat(audit).anyMatch(r -> r.get("operationName").asText().equals("Add service principal"));
        assertThat(audit).anyMatch(r -> r.get("operationName").asText().equals("Add member to role"));
        // (d) allowed inbound RDP from the internet after the change
        long allowedRdp = 0;
        for (Path file : defaults.files()) {
            if (file.toString().contains("NSG-WEB") && file.toString().contains("networksecuritygroupflowevent")) {
                for (JsonNode record : JSON.readTree(file.toFile()).get("records")) {
                    for (JsonNode rule : record.at("/properties/flows")) {
                        if (rule.get("rule").asText().equals("UserRule_Allow-RDP-Any")) {
                            for (JsonNode tuple : rule.at("/flows/0/flowTuples")) {
                                String[] fields = tuple.asText().split(",", -1);
                                assertThat(fields).hasSize(13);
                                if (fields[4].equals("3389") && fields[6].equals("I") && fields[7].equals("A")) {
                                    allowedRdp++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(allowedRdp).isGreaterThan(10);
        // (e) mass download in both storage views
        long getBlobs = ndjson(root, "insights-logs-storageread/").stream()
                .filter(r -> r.get("operationName").asText().equals("GetBlob")
                        && r.get("callerIpAddress").asText().startsWith(Estate.ATTACKER_IP + ":"))
                .count();
        assertThat(getBlobs).isGreaterThanOrEqualTo(100);
        long analytics = 0;
        for (Path file : defaults.files()) {
            if (file.toString().endsWith("000000.log")) {
                analytics += Files.readAllLines(file).stream()
                        .filter(l -> l.contains(";GetBlob;") && l.contains(";" + Estate.ATTACKER_IP + ":"))
                        .count();
            }
        }
        assertThat(analytics).isGreaterThanOrEqualTo(100);
        // (f) the service install, in both channels, and the Defender alert about it
        assertThat(countLines(root.resolve("windows/vm-web-01/System.xml"), "<EventID Qualifiers='16384'>7045<"))
                .isEqualTo(1);
        assertThat(countLines(root.resolve("windows/vm-web-01/Security.xml"), "<EventID>4697<"))
                .isEqualTo(1);
        JsonNode alerts =
                JSON.readTree(root.resolve("alerts/defender-alerts.json").toFile());
        assertThat(alerts).anyMatch(a -> a.get("AlertType").asText().equals("VM_SuspiciousServiceInstallation"));
        JsonNode monitor =
                JSON.readTree(root.resolve("alerts/azure-monitor-alerts.json").toFile());
        assertThat(monitor.get(0).get("schemaId").asText()).isEqualTo("azureMonitorCommonAlertSchema");
    }

    @Test
    void windowsEventsCarryTheSystemFields() throws Exception {
        Path file = sharedDir.resolve("a/windows/vm-web-01/Security.xml");
        Document document = parseXml(Files.readString(file));
        NodeList events = document.getDocumentElement().getElementsByTagNameNS("*", "Event");
        Element first = (Element) events.item(0);
        for (String name : List.of(
                "Provider",
                "EventID",
                "Version",
                "Level",
                "Task",
                "Opcode",
                "Keywords",
                "TimeCreated",
                "EventRecordID",
                "Correlation",
                "Execution",
                "Channel",
                "Computer",
                "Security")) {
            assertThat(first.getElementsByTagNameNS("*", name).getLength())
                    .as(name)
                    .isEqualTo(1);
        }
    }

    private static Set<String> sprayedUsers(Path root) throws IOException {
        Set<String> users = new HashSet<>();
        for (JsonNode record : ndjson(root, "insights-logs-signinlogs/")) {
            if (record.at("/properties/ipAddress").asText().equals(Estate.SPRAY_IP)
                    && record.at("/properties/status/errorCode").asInt() == 50126) {
                users.add(record.at("/properties/userPrincipalName").asText());
            }
        }
        return users;
    }

    private static List<JsonNode> ndjson(Path root, String prefix) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        List<Path> files;
        try (var stream = Files.walk(root)) {
            files = stream.filter(Files::isRegularFile)
                    .filter(p ->
                            root.relativize(p).toString().replace('\\', '/').startsWith(prefix))
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file)) {
                records.add(JSON.readTree(line));
            }
        }
        return records;
    }

    private static long countLines(Path file, String needle) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> l.contains(needle)).count();
    }

    private static Document parseXml(String events) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        String wrapped = "<Events>" + events + "</Events>";
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(wrapped.getBytes(StandardCharsets.UTF_8)));
    }

    /** Counts ';'-separated fields, treating quoted fields as opaque. */
    private static int analyticsFields(String line) {
        int fields = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ';' && !quoted) {
                fields++;
            }
        }
        return fields;
    }

    private static List<String> relative(Path root, List<Path> files) {
        return files.stream().map(f -> root.relativize(f).toString()).toList();
    }
}
