package io.vigil.forward;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The built-in sink types, in the order the CLI lists them. */
public final class SinkTypes {
    public static final SinkType SYSLOG_CEF = SinkType.syslog(
            "syslog_cef",
            "ArcSight CEF 0 over syslog (RFC 5424 header): ArcSight, QRadar, Splunk, Elastic, Sentinel's AMA",
            config -> new CefEncoder(config.productVersion()));
    public static final SinkType SYSLOG_LEEF = SinkType.syslog(
            "syslog_leef",
            "IBM LEEF 2.0 (or 1.0) over syslog (RFC 5424 header): QRadar",
            config -> new LeefEncoder(config.productVersion(), config.leefVersion(), config.leefDelimiter()));
    public static final SinkType SYSLOG_JSON = SinkType.syslog(
            "syslog_json",
            "RFC 5424 syslog with the row as one JSON object: Splunk, Elastic, Graylog, any JSON-aware collector",
            config -> new JsonEncoder());

    public static final SinkType WEBHOOK = new SinkType(
            "webhook",
            "HTTPS POST of each row as JSON, HMAC-SHA256 signed with a timestamp; or Azure Monitor's common alert"
                    + " schema for alert routes",
            SinkType.Endpoint.URL,
            SinkType.Secret.REQUIRED,
            WebhookWriter::new);
    public static final SinkType SPLUNK_HEC = new SinkType(
            "splunk_hec",
            "Splunk HTTP Event Collector (/services/collector/event), batched, a sourcetype per table, indexer"
                    + " acknowledgement when enabled",
            SinkType.Endpoint.URL,
            SinkType.Secret.REQUIRED,
            SplunkHecWriter::new);
    public static final SinkType OPENSEARCH = new SinkType(
            "opensearch",
            "OpenSearch _bulk API, an index per table and day (vigil-<table>-yyyy.MM.dd), each item's status honoured",
            SinkType.Endpoint.URL,
            SinkType.Secret.OPTIONAL,
            OpenSearchWriter::new);
    public static final SinkType ELASTICSEARCH = new SinkType(
            "elasticsearch",
            "Elasticsearch _bulk API: the opensearch sink under Elastic's name",
            SinkType.Endpoint.URL,
            SinkType.Secret.OPTIONAL,
            OpenSearchWriter::new);

    public static final SinkType EVENTHUBS_KAFKA = new SinkType(
            "eventhubs_kafka",
            "Kafka or Azure Event Hubs topics carrying Azure's diagnostic-settings export {\"records\":[…]}: the"
                    + " SIEMs' Azure Event Hubs integrations (Splunk, QRadar, Elastic, Sentinel) read it unchanged",
            SinkType.Endpoint.HOST_PORT,
            SinkType.Secret.OPTIONAL,
            (config, clock, tls) -> new KafkaWriter(config, clock));

    public static final List<SinkType> BUILT_IN = List.of(
            SYSLOG_CEF, SYSLOG_LEEF, SYSLOG_JSON, EVENTHUBS_KAFKA, WEBHOOK, SPLUNK_HEC, OPENSEARCH, ELASTICSEARCH);

    private SinkTypes() {}

    public static Optional<SinkType> byName(String name) {
        return BUILT_IN.stream().filter(type -> type.name().equals(name)).findFirst();
    }

    /**
     * Checks what a sink needs beyond its own fields, as {@code vigil sinks add} and loading {@code sinks.json}
     * do: the secret file its type needs (present, readable, one line), the CA file, the endpoint's path, and
     * that Azure's common alert schema is only asked for on an alerts-only webhook. Returns the config.
     */
    public static SinkConfig check(SinkConfig config) {
        SinkType type = require(config.type());
        if (config.kafka().isPresent()) {
            // the Event Hubs connection string, when there is one: present, readable, not empty
            KafkaTransport.password(config);
            return config;
        }
        if (config.http().isEmpty()) {
            return config;
        }
        HttpSinkSettings http = config.http().get();
        if (type.secret() == SinkType.Secret.REQUIRED && http.secretFile().isEmpty()) {
            throw new IllegalArgumentException("a " + type.name() + " sink needs --secret-file");
        }
        if (type.secret() == SinkType.Secret.NONE && http.secretFile().isPresent()) {
            throw new IllegalArgumentException("a " + type.name() + " sink takes no secret");
        }
        http.readSecret();
        // only read here: sinks.json is checked every half second, the TLS context is built when the sink starts
        http.caFile().ifPresent(Tls::certificates);
        if (http.payload() == HttpSinkSettings.Payload.AZURE_COMMON_ALERT
                && (type != WEBHOOK || !config.route().tables().equals(Set.of("SecurityAlert")))) {
            throw new IllegalArgumentException(
                    "the azure_common_alert payload is for a webhook whose only route is alerts");
        }
        if (type == SPLUNK_HEC) {
            SplunkHecWriter.eventUrl(http.url());
        }
        return config;
    }

    /** The type named, or an error listing the types. */
    public static SinkType require(String name) {
        return byName(name)
                .orElseThrow(() -> new IllegalArgumentException("unknown sink type '" + name + "' (one of "
                        + BUILT_IN.stream().map(SinkType::name).toList() + ")"));
    }
}
