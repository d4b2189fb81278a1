package io.vigil.generator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.generator.Estate.Vm;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * NSG flow logs version 2 per "Flow logging for network security groups" (log format section):
 * blobs at {@code insights-logs-networksecuritygroupflowevent/resourceId=<NSG ID UPPER>/y=/m=/d=/h=/m=00/macAddress=<MAC>/PT1H.json},
 * a {@code {"records":[...]}} envelope with one record per minute, flows grouped by rule then by
 * NIC MAC, and tuples {@code unixts,src,dst,sport,dport,T|U,I|O,A|D,B|C|E,pktsS2D,bytesS2D,pktsD2S,bytesD2S}
 * whose counters are empty for the B (begin) state and for denied flows.
 */
final class NsgFlowWriter {
    private static final String INTERNET_OUT = "DefaultRule_AllowInternetOutBound";
    private static final String DENY_IN = "DefaultRule_DenyAllInBound";
    private static final String VNET_IN = "DefaultRule_AllowVnetInBound";
    private static final String HTTPS_IN = "UserRule_Allow-HTTPS-Inbound";
    private static final String RDP_IN = "UserRule_" + Estate.OPEN_RULE;

    private final GeneratorOptions options;
    private final Story story;
    private final Rand rand;

    private NsgFlowWriter(GeneratorOptions options, Story story) {
        this.options = options;
        this.story = story;
        this.rand = Rand.of(options.seed(), "nsg");
    }

    static void write(Output out, GeneratorOptions options, Story story) throws IOException {
        NsgFlowWriter writer = new NsgFlowWriter(options, story);
        long tuples = 0;
        for (Vm vm : Estate.VMS) {
            SortedMap<Long, SortedMap<String, List<String>>> minutes = writer.flows(vm);
            SortedMap<Instant, List<ObjectNode>> hours = new TreeMap<>();
            for (Map.Entry<Long, SortedMap<String, List<String>>> minute : minutes.entrySet()) {
                Instant time = Instant.ofEpochSecond(minute.getKey() * 60 + 35).plusMillis(389);
                hours.computeIfAbsent(Timestamps.truncateToHour(time), ignored -> new ArrayList<>())
                        .add(record(vm, time, minute.getValue()));
                for (List<String> list : minute.getValue().values()) {
                    tuples += list.size();
                }
            }
            String folder =
                    "insights-logs-networksecuritygroupflowevent/resourceId=" + Estate.upper(Estate.nsgId(vm.nsg()));
            for (Map.Entry<Instant, List<ObjectNode>> hour : hours.entrySet()) {
                out.writeRecordsEnvelope(
                        folder + "/" + Timestamps.hourPartition(hour.getKey()) + "/macAddress=" + vm.mac()
                                + "/PT1H.json",
                        hour.getValue());
            }
        }
        out.count("nsg_flow_tuples", tuples);
    }

    private static ObjectNode record(Vm vm, Instant time, SortedMap<String, List<String>> byRule) {
        ObjectNode record = Output.object();
        record.put("time", Timestamps.azure(time));
        record.put("systemId", EntraWriter.stableGuid(vm.nsg()));
        record.put("category", "NetworkSecurityGroupFlowEvent");
        record.put("resourceId", Estate.upper(Estate.nsgId(vm.nsg())));
        record.put("operationName", "NetworkSecurityGroupFlowEvents");
        ObjectNode properties = record.putObject("properties");
        properties.put("Version", 2);
        ArrayNode flows = properties.putArray("flows");
        for (Map.Entry<String, List<String>> rule : byRule.entrySet()) {
            ObjectNode ruleNode = flows.addObject();
            ruleNode.put("rule", rule.getKey());
            ObjectNode nic = ruleNode.putArray("flows").addObject();
            nic.put("mac", vm.mac());
            ArrayNode tuples = nic.putArray("flowTuples");
            rule.getValue().forEach(tuples::add);
        }
        return record;
    }

    private SortedMap<Long, SortedMap<String, List<String>>> flows(Vm vm) {
        SortedMap<Long, SortedMap<String, List<String>>> minutes = new TreeMap<>();
        long first = options.start().getEpochSecond() / 60;
        long last = options.end().getEpochSecond() / 60;
        long opened = story.at(Story.NSG_RULE_OPENED + 30).getEpochSecond();
        int perMinute = (int) Math.max(1, Math.round(4 * options.scale()));
        for (long minute = first; minute < last; minute++) {
            long base = minute * 60;
            int count = rand.between(0, 2 * perMinute + 1);
            for (int i = 0; i < count; i++) {
                long ts = base + rand.between(0, 60);
                double roll = rand.unit();
                if (roll < 0.5) {
                    add(
                            minutes,
                            minute,
                            INTERNET_OUT,
                            allowed(ts, vm.privateIp(), rand.internetAddress(), rand.between(30000, 65000), 443, 'O'));
                } else if (roll < 0.7) {
                    String source = "10.0." + rand.between(1, 4) + "." + rand.between(4, 12);
                    add(
                            minutes,
                            minute,
                            VNET_IN,
                            allowed(
                                    ts,
                                    source,
                                    vm.privateIp(),
                                    rand.between(30000, 65000),
                                    rand.pick(List.of(443, 1433, 5985, 445)),
                                    'I'));
                } else if (vm.equals(Estate.VM_WEB) && roll < 0.85) {
                    add(
                            minutes,
                            minute,
                            HTTPS_IN,
                            allowed(ts, rand.internetAddress(), vm.privateIp(), rand.between(30000, 65000), 443, 'I'));
                } else {
                    int port = rand.pick(List.of(22, 23, 445, 1433, 3389, 3389, 5900, 8080));
                    String source = rand.internetAddress();
                    if (vm.equals(Estate.VM_WEB) && port == 3389 && ts >= opened) {
                        // after the rule change the same internet scanning is let through
                        add(
                                minutes,
                                minute,
                                RDP_IN,
                                allowed(ts, source, vm.privateIp(), rand.between(30000, 65000), 3389, 'I'));
                    } else {
                        add(
                                minutes,
                                minute,
                                DENY_IN,
                                ts + "," + source + "," + vm.privateIp() + "," + rand.between(30000, 65000) + "," + port
                                        + ",T,I,D,B,,,,");
                    }
                }
            }
        }
        if (vm.equals(Estate.VM_WEB)) {
            attackerSession(minutes, vm);
        }
        return minutes;
    }

    /** The attacker's RDP session: begin, a continuation per minute while it lasts, then end. */
    private void attackerSession(SortedMap<Long, SortedMap<String, List<String>>> minutes, Vm vm) {
        long begin = story.at(Story.RDP_LOGON - 5).getEpochSecond();
        long end = story.at(Story.BACKDOOR_USER + 120).getEpochSecond();
        String prefix = Estate.ATTACKER_IP + "," + vm.privateIp() + ",51544,3389,T,I,A,";
        add(minutes, begin / 60, RDP_IN, begin + "," + prefix + "B,,,,");
        long packets = 0;
        long bytes = 0;
        for (long ts = begin + 60; ts < end; ts += 60) {
            packets += rand.between(200, 900);
            bytes += rand.between(60_000, 400_000);
            add(
                    minutes,
                    ts / 60,
                    RDP_IN,
                    ts + "," + prefix + "C," + packets + "," + bytes + "," + (packets * 2) + "," + (bytes * 6));
        }
        add(
                minutes,
                end / 60,
                RDP_IN,
                end + "," + prefix + "E," + packets + "," + bytes + "," + (packets * 2) + "," + (bytes * 6));
    }

    private String allowed(
            long ts, String source, String destination, int sourcePort, int destinationPort, char direction) {
        String state = rand.pick(List.of("B", "C", "E", "E"));
        String head = ts + "," + source + "," + destination + "," + sourcePort + "," + destinationPort + ",T,"
                + direction + ",A," + state;
        if (state.equals("B")) {
            return head + ",,,,";
        }
        int packets = rand.between(1, 60);
        return head + "," + packets + "," + (packets * rand.between(60, 1400)) + "," + (packets + rand.between(0, 10))
                + "," + (packets * rand.between(60, 1400));
    }

    private static void add(
            SortedMap<Long, SortedMap<String, List<String>>> minutes, long minute, String rule, String tuple) {
        minutes.computeIfAbsent(minute, ignored -> new TreeMap<>())
                .computeIfAbsent(rule, ignored -> new ArrayList<>())
                .add(tuple);
    }
}
