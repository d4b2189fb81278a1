package io.vigil.formats.nsgflow;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.formats.common.AzureCategories;
import io.vigil.formats.common.AzureRecordMapper;
import io.vigil.formats.common.AzureRecords;
import io.vigil.formats.common.AzureResourceId;
import io.vigil.formats.common.AzureRow;
import io.vigil.formats.common.Timestamps;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.LogFormat;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * NSG flow logs (versions 1 and 2) and VNet flow logs, one row per flow tuple.
 *
 * <p>NSG tuples ({@code records[].properties.flows[].flows[].flowTuples[]}, "Flow logging for network
 * security groups", learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview) have 8 fields in
 * version 1 (time, source IP, destination IP, source port, destination port, protocol T/U, direction
 * I/O, decision A/D) and 13 in version 2 (plus state B/C/E and packets/bytes each way). They go to
 * {@code AzureNetworkAnalytics_CL} in the traffic-analytics spelling ("Traffic analytics schema",
 * learn.microsoft.com/azure/network-watcher/traffic-analytics-schema); that table has no source-port
 * column, so the source port is not stored, as in Azure.
 *
 * <p>VNet tuples ({@code flowRecords.flows[].flowGroups[].flowTuples}, "VNet flow logs",
 * learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview) have 13 fields: millisecond time,
 * IPs, ports, IANA protocol number, direction, state B/C/E/D (D = denied), encryption and
 * packets/bytes each way. They go to {@code NTANetAnalytics}.
 */
public final class NsgFlowFormat implements LogFormat, AzureRecordMapper {
    public static final String NAME = "nsg_flow";
    public static final String NSG_TABLE = "AzureNetworkAnalytics_CL";
    public static final String VNET_TABLE = "NTANetAnalytics";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "NSG flow logs v1/v2 and VNet flow logs, one row per flow tuple";
    }

    @Override
    public List<String> outputTables() {
        return List.of(NSG_TABLE, VNET_TABLE);
    }

    @Override
    public int detect(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (text.contains("\"flowTuples\"")) {
            return 95;
        }
        return AzureCategories.score(head, AzureCategories.Kind.FLOW);
    }

    @Override
    public void parse(String source, byte[] input, ParseContext context, RecordSink sink) {
        AzureRecords.forEach(source, NAME, input, sink, record -> map(source, record, context, sink));
    }

    @Override
    public void map(String source, ObjectNode record, ParseContext context, RecordSink sink) {
        Instant time = Timestamps.parse(AzureRow.text(record.get("time")));
        if (time == null) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.BAD_TIMESTAMP, "record has no valid time", record));
            return;
        }
        if (record.has("flowRecords")) {
            mapVnet(source, record, time, context, sink);
            return;
        }
        JsonNode flows = record.path("properties").path("flows");
        if (!flows.isArray()) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "no properties.flows array", record));
            return;
        }
        String resourceId = AzureRow.text(record.get("resourceId"));
        String nsgList = null;
        String subscription = null;
        if (resourceId != null) {
            AzureResourceId parts = AzureResourceId.parse(resourceId);
            nsgList = parts.subscriptionId() + "/" + parts.resourceGroup() + "/" + parts.name();
            subscription = parts.subscriptionId().toLowerCase(Locale.ROOT);
        }
        for (JsonNode ruleFlows : flows) {
            String rule = AzureRow.text(ruleFlows.get("rule"));
            for (JsonNode macFlows : ruleFlows.path("flows")) {
                String mac = AzureRow.text(macFlows.get("mac"));
                for (JsonNode tuple : macFlows.path("flowTuples")) {
                    AzureRow row = new AzureRow(context.catalog().require(NSG_TABLE));
                    row.set("TimeGenerated", time);
                    row.set("SubType_s", "FlowLog");
                    row.set("NSGRule_s", rule);
                    row.set("NSGList_s", nsgList);
                    row.set("MACAddress_s", mac);
                    if (subscription != null && !subscription.isEmpty()) {
                        row.set("Subscription1_g", subscription);
                    }
                    String text = tuple.asText("");
                    emit(source, text, nsgTuple(text, row), row, sink);
                }
            }
        }
    }

    /** Emits the row of one tuple, or dead-letters the tuple when filling the row found a problem. */
    private static void emit(String source, String tuple, String problem, AzureRow row, RecordSink sink) {
        if (problem != null) {
            sink.deadLetter(
                    new DeadLetter(source, NAME, DeadLetterReason.MALFORMED_LINE, problem, tuple.getBytes(UTF_8)));
            return;
        }
        sink.row(row.build());
    }

    /** Fills the row from one NSG tuple; returns what is wrong with it, or null. */
    static String nsgTuple(String tuple, AzureRow row) {
        String[] fields = tuple.split(",", -1);
        if (fields.length != 8 && fields.length != 13) {
            return "flow tuple has " + fields.length + " fields, expected 8 (v1) or 13 (v2)";
        }
        try {
            row.set("FlowStartTime_t", Instant.ofEpochSecond(Long.parseLong(fields[0].trim())));
            row.set("SrcIP_s", fields[1]);
            row.set("DestIP_s", fields[2]);
            Integer.parseInt(fields[3].trim());
            row.set("DestPort_d", (double) Integer.parseInt(fields[4].trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return "flow tuple has a bad number: " + e.getMessage();
        }
        row.set("L4Protocol_s", fields[5]);
        String direction = fields[6];
        String decision = fields[7];
        row.set("FlowDirection_s", direction);
        row.set("FlowStatus_s", decision);
        boolean inbound = direction.equals("I");
        boolean allowed = decision.equals("A");
        row.set("AllowedInFlows_d", flag(inbound && allowed));
        row.set("DeniedInFlows_d", flag(inbound && !allowed));
        row.set("AllowedOutFlows_d", flag(!inbound && allowed));
        row.set("DeniedOutFlows_d", flag(!inbound && !allowed));
        row.set("FlowCount_d", 1.0);
        if (fields.length == 13) {
            String state = fields[8];
            if (state.equals("E")) {
                // the end tuple's time is when the flow ended
                row.set("FlowEndTime_t", Instant.ofEpochSecond(Long.parseLong(fields[0].trim())));
            }
            row.set("CompletedFlows_d", flag(state.equals("E")));
            // packets and bytes are empty on a flow's begin (B) tuple
            row.set("OutboundPackets_d", number(fields[9]));
            row.set("OutboundBytes_d", number(fields[10]));
            row.set("InboundPackets_d", number(fields[11]));
            row.set("InboundBytes_d", number(fields[12]));
        }
        return null;
    }

    private void mapVnet(String source, ObjectNode record, Instant time, ParseContext context, RecordSink sink) {
        JsonNode flows = record.path("flowRecords").path("flows");
        if (!flows.isArray()) {
            sink.deadLetter(AzureRecordMapper.deadLetter(
                    source, NAME, DeadLetterReason.UNKNOWN_RECORD_SHAPE, "no flowRecords.flows array", record));
            return;
        }
        String flowLogId = AzureRow.text(record.get("flowLogResourceID"));
        String targetId = AzureRow.text(record.get("targetResourceID"));
        String mac = AzureRow.text(record.get("macAddress"));
        for (JsonNode acl : flows) {
            String aclId = AzureRow.text(acl.get("aclID"));
            for (JsonNode group : acl.path("flowGroups")) {
                String rule = AzureRow.text(group.get("rule"));
                for (JsonNode tuple : group.path("flowTuples")) {
                    AzureRow row = new AzureRow(context.catalog().require(VNET_TABLE));
                    row.set("TimeGenerated", time);
                    row.set("SubType", "FlowLog");
                    row.set("FlowLogResourceId", flowLogId);
                    row.set("TargetResourceId", targetId);
                    row.set("MacAddress", mac);
                    row.set("AclGroup", aclId);
                    row.set("AclRule", rule);
                    String text = tuple.asText("");
                    emit(source, text, vnetTuple(text, row), row, sink);
                }
            }
        }
    }

    static String vnetTuple(String tuple, AzureRow row) {
        String[] fields = tuple.split(",", -1);
        if (fields.length != 13) {
            return "VNet flow tuple has " + fields.length + " fields, expected 13";
        }
        try {
            row.set("FlowStartTime", Instant.ofEpochMilli(Long.parseLong(fields[0].trim())));
            row.set("SrcIp", fields[1]);
            row.set("DestIp", fields[2]);
            row.set("SrcPort", Integer.parseInt(fields[3].trim()));
            row.set("DestPort", Integer.parseInt(fields[4].trim()));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return "VNet flow tuple has a bad number: " + e.getMessage();
        }
        // IANA protocol numbers; the table spells TCP and UDP as T and U
        String protocol = switch (fields[5].trim()) {
            case "6" -> "T";
            case "17" -> "U";
            default -> fields[5].trim();
        };
        row.set("L4Protocol", protocol);
        boolean inbound = fields[6].equals("I");
        String state = fields[7];
        boolean allowed = !state.equals("D");
        if (inbound) {
            row.set("FlowDirection", "Inbound");
        } else {
            row.set("FlowDirection", "Outbound");
        }
        if (allowed) {
            row.set("FlowStatus", "Allowed");
        } else {
            row.set("FlowStatus", "Denied");
        }
        row.set("FlowEncryption", fields[8]);
        row.set("AllowedInFlows", longFlag(inbound && allowed));
        row.set("DeniedInFlows", longFlag(inbound && !allowed));
        row.set("AllowedOutFlows", longFlag(!inbound && allowed));
        row.set("DeniedOutFlows", longFlag(!inbound && !allowed));
        row.set("CompletedFlows", longFlag(state.equals("E")));
        row.set("PacketsSrcToDest", longNumber(fields[9]));
        row.set("BytesSrcToDest", longNumber(fields[10]));
        row.set("PacketsDestToSrc", longNumber(fields[11]));
        row.set("BytesDestToSrc", longNumber(fields[12]));
        return null;
    }

    private static Double flag(boolean value) {
        if (value) {
            return 1.0;
        }
        return 0.0;
    }

    private static Long longFlag(boolean value) {
        if (value) {
            return 1L;
        }
        return 0L;
    }

    private static Double number(String text) {
        Long value = longNumber(text);
        if (value == null) {
            return null;
        }
        return value.doubleValue();
    }

    private static Long longNumber(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
