package io.vigil.detect.sigma;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One case per modifier and condition form; every produced query is also parsed and bound. */
class SigmaToKqlTest {
    private static final SigmaConverter CONVERTER = SigmaConverter.builtIn();

    @Test
    void plainValuesAreCaseInsensitiveEqualityAndListsBecomeIn() {
        assertThat(where("EventID: 4688\n        NewProcessName: 'C:\\Windows\\cmd.exe'"))
                .isEqualTo("EventID == 4688 and NewProcessName =~ @\"C:\\Windows\\cmd.exe\"");
        assertThat(where("EventID: [4624, 4625]")).isEqualTo("EventID in (4624, 4625)");
        assertThat(where("Account: [a, b]")).isEqualTo("Account in~ (@\"a\", @\"b\")");
    }

    @Test
    void containsStartswithEndswithAndWildcards() {
        assertThat(where("CommandLine|contains: 'x \"y\"'")).isEqualTo("CommandLine contains @\"x \"\"y\"\"\"");
        assertThat(where("CommandLine|startswith: abc")).isEqualTo("CommandLine startswith @\"abc\"");
        assertThat(where("CommandLine|endswith: '.exe'")).isEqualTo("CommandLine endswith @\".exe\"");
        assertThat(where("CommandLine: 'a*b?c'")).isEqualTo("CommandLine matches regex @\"(?is)^a.*b.c$\"");
        assertThat(where("CommandLine: 'a\\*b'")).isEqualTo("CommandLine =~ @\"a*b\"");
        assertThat(where("CommandLine: '*'")).isEqualTo("isnotempty(CommandLine)");
        assertThat(where("CommandLine|contains|cased: Abc")).isEqualTo("CommandLine contains_cs @\"Abc\"");
    }

    @Test
    void allJoinsValuesWithAnd() {
        assertThat(where("CommandLine|contains|all: [a, b]"))
                .isEqualTo("CommandLine contains @\"a\" and CommandLine contains @\"b\"");
        assertThat(where("CommandLine|contains: [a, b]\n        EventID: 1"))
                .isEqualTo("(CommandLine contains @\"a\" or CommandLine contains @\"b\") and EventID == 1");
    }

    @Test
    void regexCidrExistsAndComparisons() {
        assertThat(where("CommandLine|re: '^a.+b$'")).isEqualTo("CommandLine matches regex @\"^a.+b$\"");
        assertThat(where("CommandLine|re|i: 'abc'")).isEqualTo("CommandLine matches regex @\"(?i)abc\"");
        assertThat(where("IpAddress|cidr: 10.0.0.0/8")).isEqualTo("ipv4_is_in_range(IpAddress, @\"10.0.0.0/8\")");
        assertThat(where("CommandLine|exists: true")).isEqualTo("isnotempty(CommandLine)");
        assertThat(where("CommandLine|exists: false")).isEqualTo("isempty(CommandLine)");
        assertThat(where("LogonType|gte: 3")).isEqualTo("LogonType >= 3");
        assertThat(where("KeyLength|lt: 1024")).isEqualTo("KeyLength < 1024");
        assertThat(where("ProcessId|gt: 4")).isEqualTo("toreal(ProcessId) > 4");
        assertThat(where("SubjectUserName|fieldref: TargetUserName")).isEqualTo("SubjectUserName =~ TargetUserName");
    }

    @Test
    void base64AndBase64offsetAndWindash() {
        String encoded = Base64.getEncoder().encodeToString("whoami".getBytes(StandardCharsets.UTF_8));
        assertThat(where("CommandLine|base64|contains: whoami")).isEqualTo("CommandLine contains @\"" + encoded + "\"");
        // the three offsets of 'http://' as Sigma's specification lists them
        assertThat(where("CommandLine|base64offset|contains: 'http://'"))
                .isEqualTo("CommandLine contains @\"aHR0cDovL\" or CommandLine contains @\"h0dHA6Ly\""
                        + " or CommandLine contains @\"odHRwOi8v\"");
        String wide = Base64.getEncoder().encodeToString("ab".getBytes(StandardCharsets.UTF_16LE));
        assertThat(where("CommandLine|wide|base64: ab")).isEqualTo("CommandLine =~ @\"" + wide + "\"");
        assertThat(where("CommandLine|windash|contains: ' -enc'"))
                .isEqualTo("CommandLine contains @\" -enc\" or CommandLine contains @\" /enc\""
                        + " or CommandLine contains @\" \u2013enc\" or CommandLine contains @\" \u2014enc\""
                        + " or CommandLine contains @\" \u2015enc\"");
    }

    @Test
    void conditionsWithNotOneOfAllOfThemAndParentheses() {
        String rule = rule("""
                    sel_a:
                        EventID: 1
                    sel_b:
                        EventID: 2
                    filter:
                        Account: x
                    condition: (1 of sel_*) and not filter
                """);
        assertThat(kql(rule)).endsWith("| where (EventID == 1 or EventID == 2) and not(Account =~ @\"x\")");
        assertThat(kql(rule.replace("(1 of sel_*) and not filter", "all of sel_* or filter")))
                .endsWith("| where EventID == 1 and EventID == 2 or Account =~ @\"x\"");
        assertThat(kql(rule.replace("(1 of sel_*) and not filter", "1 of them")))
                .endsWith("| where EventID == 1 or EventID == 2 or Account =~ @\"x\"");
        assertThat(kql(rule.replace("(1 of sel_*) and not filter", "sel_a and (sel_b or filter)")))
                .endsWith("| where EventID == 1 and (EventID == 2 or Account =~ @\"x\")");
    }

    @Test
    void keywordsAndLogsourceFilters() {
        String linux = """
                title: t
                logsource:
                    product: linux
                detection:
                    keywords:
                        - 'Accepted password'
                        - 'su: '
                    condition: keywords
                """;
        assertThat(kql(linux))
                .isEqualTo(
                        "Syslog\n| where SyslogMessage contains @\"Accepted password\" or SyslogMessage contains @\"su: \"");
        String process = """
                title: t
                logsource:
                    product: windows
                    category: process_creation
                detection:
                    selection:
                        Image|endswith: '\\cmd.exe'
                        ParentImage|endswith: '\\winword.exe'
                    condition: selection
                """;
        assertThat(kql(process))
                .isEqualTo(
                        "SecurityEvent\n| where EventID == 4688\n"
                                + "| where NewProcessName endswith @\"\\cmd.exe\" and ParentProcessName endswith @\"\\winword.exe\"");
        String auditd = """
                title: t
                logsource:
                    product: linux
                    service: auditd
                detection:
                    selection:
                        type: EXECVE
                        a0: curl
                    condition: selection
                """;
        assertThat(kql(auditd))
                .contains("extract(@'(?:^|\\s)type=(\"[^\"]*\"|\\S*)', 1, SyslogMessage)")
                .doesNotContain("Type =~");
    }

    @Test
    void unmappableFieldsModifiersAndLogsourcesAreNamed() {
        assertThat(error("title: t\nlogsource:\n    product: azure\n    service: activitylogs\ndetection:\n"
                        + "    s:\n        NoSuchField: x\n    condition: s\n"))
                .isEqualTo("unmappable_field: field 'NoSuchField' cannot be mapped for logsource azure_activitylogs: "
                        + "table AzureActivity has no such column");
        // Windows events keep every other field in the EventData XML
        assertThat(where("AttributeLDAPDisplayName: 2"))
                .isEqualTo(
                        "extract(@'<Data Name=\"AttributeLDAPDisplayName\">([^<]*)</Data>', 1, EventData) =~ @\"2\"");
        assertThat(error(rule("selection:\n        Account|sideways: x\n    condition: selection")))
                .isEqualTo("unsupported_modifier: modifier 'sideways' is not supported");
        assertThat(error(rule("selection:\n        Account|expand: '%x%'\n    condition: selection")))
                .startsWith("unsupported_modifier: modifier 'expand'");
        assertThat(error(rule("selection:\n        IpAddress|cidr: 'fe80::/10'\n    condition: selection")))
                .startsWith("unsupported_value: IPv6 range 'fe80::/10'");
        assertThat(error(rule("selection:\n        EventID: 1\n    condition: selection and other")))
                .isEqualTo("invalid_condition: condition names 'other', which is not a search of the rule");
        assertThat(error(rule("selection:\n        EventID: 1\n    condition: selection | count() > 5")))
                .startsWith("invalid_condition:");
        assertThat(
                        error(
                                "title: t\nlogsource:\n    product: macos\ndetection:\n    s:\n        a: 1\n    condition: s\n"))
                .startsWith("unmappable_logsource: logsource product=macos has no Vigil table");
    }

    @Test
    void correlationRulesCountPerGroupAndTimeBin() {
        String text = """
                title: Failed logon
                name: failed_logon
                logsource:
                    product: windows
                    service: security
                detection:
                    selection:
                        EventID: 4625
                    condition: selection
                ---
                title: Many failed logons
                correlation:
                    type: event_count
                    rules:
                        - failed_logon
                    group-by:
                        - TargetUserName
                    timespan: 10m
                    condition:
                        gte: 10
                ---
                title: Failed logons to many accounts
                correlation:
                    type: value_count
                    rules:
                        - failed_logon
                    group-by:
                        - IpAddress
                    timespan: 1h
                    condition:
                        gt: 20
                        field: TargetUserName
                """;
        List<SigmaConversion> conversions = CONVERTER.convert(SigmaReader.read("c.yml", text));
        assertThat(conversions).allMatch(conversion -> conversion instanceof SigmaConversion.Converted);
        assertThat(((SigmaConversion.Converted) conversions.get(1)).kql())
                .isEqualTo("SecurityEvent\n| where EventID == 4625\n"
                        + "| summarize EventCount = count() by bin(TimeGenerated, 10m), TargetUserName\n"
                        + "| where EventCount >= 10");
        assertThat(((SigmaConversion.Converted) conversions.get(2)).kql())
                .endsWith("| summarize ValueCount = dcount(TargetUserName) by bin(TimeGenerated, 1h), IpAddress\n"
                        + "| where ValueCount > 20");
        assertThat(SigmaConversion.summary(conversions)).isEqualTo("converted 3 rules: 3 ok, 0 failed");
    }

    private static String rule(String detection) {
        return "title: t\nlogsource:\n    product: windows\n    service: security\ndetection:\n    " + detection.strip()
                + "\n";
    }

    private static String where(String selection) {
        String kql = kql(rule("selection:\n        " + selection + "\n    condition: selection"));
        assertThat(kql).startsWith("SecurityEvent\n| where ");
        return kql.substring("SecurityEvent\n| where ".length());
    }

    private static String kql(String text) {
        List<SigmaConversion> conversions = CONVERTER.convert(SigmaReader.read("t.yml", text));
        assertThat(conversions).hasSize(1);
        assertThat(conversions.get(0)).isInstanceOf(SigmaConversion.Converted.class);
        return ((SigmaConversion.Converted) conversions.get(0)).kql();
    }

    private static String error(String text) {
        List<SigmaConversion> conversions = CONVERTER.convert(SigmaReader.read("t.yml", text));
        assertThat(conversions.get(0)).isInstanceOf(SigmaConversion.Failed.class);
        return ((SigmaConversion.Failed) conversions.get(0)).errors().get(0).toString();
    }
}
