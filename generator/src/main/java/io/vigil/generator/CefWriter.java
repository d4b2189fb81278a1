package io.vigil.generator;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge firewall's traffic and threat logs as CEF over syslog ({@code syslog/firewall-cef.log}):
 * an RFC 3164 header followed by {@code CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|ext}.
 * Escaping per the ArcSight "Implementing ArcSight Common Event Format" guide: in the header,
 * backslash and pipe are escaped; in extension values, backslash, equals sign and line breaks.
 */
final class CefWriter {
    private static final String VENDOR = "Palo Alto Networks";
    private static final String PRODUCT = "PAN-OS";
    private static final String VERSION = "11.1.2";
    /** local4.info: firewalls conventionally log to a local facility (RFC 3164 section 4.1.1). */
    private static final int PRI = 20 * 8 + 6;

    private CefWriter() {}

    static void write(Output out, GeneratorOptions options) throws IOException {
        Rand rand = Rand.of(options.seed(), "cef");
        List<Timed<String>> lines = new ArrayList<>();
        List<String> apps = List.of("ssl", "web-browsing", "dns", "ms-office365", "ntp", "azure-storage");
        for (int i = Volume.of(options, 20000); i > 0; i--) {
            Instant time = rand.busyInstant(options.start(), options.end());
            boolean inbound = rand.chance(0.35);
            boolean allowed = !inbound || rand.chance(0.3);
            String src = "10.0." + rand.between(1, 4) + "." + rand.between(4, 12);
            String dst = rand.internetAddress();
            int dport = rand.pick(List.of(443, 443, 443, 80, 53, 123));
            String rule = "allow-outbound-web";
            String fromZone = "trust";
            String toZone = "untrust";
            if (inbound) {
                src = rand.internetAddress();
                dst = Estate.FIREWALL_PUBLIC_IP;
                dport = rand.pick(List.of(443, 443, 22, 3389, 445, 23, 8080));
                rule = allowed ? "allow-inbound-https" : "deny-all-inbound";
                fromZone = "untrust";
                toZone = "dmz";
                if (allowed) {
                    dport = 443;
                }
            }
            String action = allowed ? "allow" : "deny";
            StringBuilder ext = new StringBuilder();
            extension(ext, "rt", Long.toString(time.toEpochMilli()));
            extension(ext, "deviceExternalId", "013201012345");
            extension(ext, "src", src);
            extension(ext, "dst", dst);
            extension(ext, "spt", Integer.toString(rand.between(1024, 65535)));
            extension(ext, "dpt", Integer.toString(dport));
            extension(ext, "proto", dport == 53 || dport == 123 ? "UDP" : "TCP");
            extension(ext, "act", action);
            extension(ext, "cs1Label", "Rule");
            extension(ext, "cs1", rule);
            extension(ext, "cs4Label", "Source Zone");
            extension(ext, "cs4", fromZone);
            extension(ext, "cs5Label", "Destination Zone");
            extension(ext, "cs5", toZone);
            extension(ext, "app", allowed ? rand.pick(apps) : "incomplete");
            extension(ext, "cn1Label", "SessionID");
            extension(ext, "cn1", Integer.toString(rand.between(100000, 999999)));
            extension(ext, "in", Integer.toString(allowed ? rand.between(200, 90000) : 0));
            extension(ext, "out", Integer.toString(allowed ? rand.between(200, 400000) : 0));
            extension(ext, "dvchost", Estate.FIREWALL_HOST);
            lines.add(new Timed<>(time, line(time, "end", "TRAFFIC", allowed ? 1 : 3, ext)));
        }
        // web threat detections: URLs carry '=' and '\' that must be escaped in extension values
        List<String> attacks = List.of(
                "/search?q=1' OR '1'='1",
                "/cgi-bin/.%2e/.%2e/bin/sh?cmd=id",
                "/index.php?page=..\\..\\windows\\win.ini",
                "/api/v1/login?user=admin&pass=admin");
        for (int i = Volume.of(options, 300); i > 0; i--) {
            Instant time = rand.instant(options.start(), options.end());
            String url = "shop.contoso.com" + rand.pick(attacks);
            StringBuilder ext = new StringBuilder();
            extension(ext, "rt", Long.toString(time.toEpochMilli()));
            extension(ext, "deviceExternalId", "013201012345");
            extension(ext, "src", rand.internetAddress());
            extension(ext, "dst", Estate.FIREWALL_PUBLIC_IP);
            extension(ext, "spt", Integer.toString(rand.between(1024, 65535)));
            extension(ext, "dpt", "443");
            extension(ext, "proto", "TCP");
            extension(ext, "act", "reset-both");
            extension(ext, "request", url);
            extension(ext, "cs1Label", "Rule");
            extension(ext, "cs1", "allow-inbound-https");
            extension(ext, "cat", "code-execution");
            extension(ext, "msg", "Generic HTTP Cross Site Scripting Attempt | SQL Injection");
            extension(ext, "dvchost", Estate.FIREWALL_HOST);
            lines.add(new Timed<>(time, line(time, "vulnerability", "THREAT|web-attack", 8, ext)));
        }
        StringBuilder content = new StringBuilder();
        for (String line : Timed.sortedValues(lines)) {
            content.append(line).append('\n');
        }
        out.write("syslog/firewall-cef.log", content.toString());
        out.count("cef", lines.size());
    }

    private static String line(Instant time, String signatureId, String name, int severity, StringBuilder extension) {
        return "<" + PRI + ">" + Timestamps.rfc3164(time) + " " + Estate.FIREWALL_HOST + " CEF:0|" + header(VENDOR)
                + "|"
                + header(PRODUCT) + "|" + header(VERSION) + "|" + header(signatureId) + "|" + header(name) + "|"
                + severity
                + "|" + extension;
    }

    static String header(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|");
    }

    static String extensionValue(String value) {
        return value.replace("\\", "\\\\")
                .replace("=", "\\=")
                .replace("\r", "\\r")
                .replace("\n", "\\n");
    }

    private static void extension(StringBuilder builder, String key, String value) {
        if (!builder.isEmpty()) {
            builder.append(' ');
        }
        builder.append(key).append('=').append(extensionValue(value));
    }
}
