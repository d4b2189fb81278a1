package io.vigil.forward;

import java.util.List;
import java.util.Optional;

/** The built-in sink types, in the order the CLI lists them. */
public final class SinkTypes {
    public static final SinkType SYSLOG_CEF = new SinkType(
            "syslog_cef",
            "ArcSight CEF 0 over syslog (RFC 5424 header): ArcSight, QRadar, Splunk, Elastic, Sentinel's AMA",
            config -> new CefEncoder(config.productVersion()));
    public static final SinkType SYSLOG_LEEF = new SinkType(
            "syslog_leef",
            "IBM LEEF 2.0 (or 1.0) over syslog (RFC 5424 header): QRadar",
            config -> new LeefEncoder(config.productVersion(), config.leefVersion(), config.leefDelimiter()));
    public static final SinkType SYSLOG_JSON = new SinkType(
            "syslog_json",
            "RFC 5424 syslog with the row as one JSON object: Splunk, Elastic, Graylog, any JSON-aware collector",
            config -> new JsonEncoder());

    public static final SinkType EVENTHUBS_KAFKA = new SinkType(
            "eventhubs_kafka",
            "Kafka or Azure Event Hubs topics carrying Azure's diagnostic-settings export {\"records\":[…]}: the"
                    + " SIEMs' Azure Event Hubs integrations (Splunk, QRadar, Elastic, Sentinel) read it unchanged",
            config -> new AzureRecordEncoder());

    public static final List<SinkType> BUILT_IN = List.of(SYSLOG_CEF, SYSLOG_LEEF, SYSLOG_JSON, EVENTHUBS_KAFKA);

    private SinkTypes() {}

    public static Optional<SinkType> byName(String name) {
        return BUILT_IN.stream().filter(type -> type.name().equals(name)).findFirst();
    }
}
