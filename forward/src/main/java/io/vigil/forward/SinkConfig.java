package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.CommitStream.SubscriptionStart;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One configured sink, checked when it is built so that a bad setting fails at configuration time, never
 * at the first event.
 *
 * @param name the sink's name, also its durable position's name on the commit stream
 * @param type a {@link SinkTypes} name
 * @param host the receiver's host name or address
 * @param port the receiver's port
 * @param transport udp, tcp or tls
 * @param framing for tcp (TLS always counts octets, RFC 5425 section 4.3)
 * @param route which tables it receives
 * @param start where a sink seen for the first time starts: only new batches, or everything still stored
 * @param productVersion the Version header field of CEF and LEEF events Vigil itself produces
 * @param leefVersion LEEF's header layout
 * @param leefDelimiter LEEF 2.0's attribute delimiter
 * @param syslog the RFC 5424 header's facility and host name
 * @param maxBackoff the longest pause between retries while the receiver is unreachable
 * @param http the URL and settings of an HTTP sink (webhook, splunk_hec, opensearch); empty for the others
 * @param kafka the topic and SASL settings of an {@code eventhubs_kafka} sink; empty for the others
 */
public record SinkConfig(
        String name,
        String type,
        String host,
        int port,
        TransportKind transport,
        Framing framing,
        Route route,
        SubscriptionStart start,
        String productVersion,
        LeefEncoder.Version leefVersion,
        char leefDelimiter,
        SyslogHeader syslog,
        Duration maxBackoff,
        Optional<HttpSinkSettings> http,
        Optional<KafkaSettings> kafka) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    public SinkConfig {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(host, "host is null");
        requireNonNull(transport, "transport is null");
        requireNonNull(framing, "framing is null");
        requireNonNull(route, "route is null");
        requireNonNull(start, "start is null");
        requireNonNull(productVersion, "productVersion is null");
        requireNonNull(leefVersion, "leefVersion is null");
        requireNonNull(syslog, "syslog is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(http, "http is null");
        requireNonNull(kafka, "kafka is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "sink name '" + name + "' must be 1-63 lower-case letters, digits, '_' or '-'");
        }
        SinkType sinkType = SinkTypes.require(type);
        if (sinkType.endpoint() == SinkType.Endpoint.URL && http.isEmpty()) {
            throw new IllegalArgumentException("a " + type + " sink's endpoint is an http:// or https:// URL");
        }
        if (sinkType.endpoint() == SinkType.Endpoint.HOST_PORT && http.isPresent()) {
            throw new IllegalArgumentException("a " + type + " sink's endpoint is HOST:PORT, not a URL");
        }
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("sink endpoint must be HOST:PORT with a port 1-65535");
        }
        if (transport == TransportKind.TLS && framing != Framing.OCTET_COUNTING) {
            throw new IllegalArgumentException("syslog over TLS counts octets (RFC 5425); framing lf is for tcp");
        }
        if (type.equals(SinkTypes.EVENTHUBS_KAFKA.name()) != kafka.isPresent()) {
            throw new IllegalArgumentException("Kafka settings are for eventhubs_kafka sinks only");
        }
        if (kafka.isPresent() && transport == TransportKind.UDP) {
            throw new IllegalArgumentException("an eventhubs_kafka sink connects over tcp or tls, not udp");
        }
        if (maxBackoff.isNegative() || maxBackoff.isZero()) {
            throw new IllegalArgumentException("maxBackoff must be positive");
        }
    }

    /** A sink with the defaults: tcp, LF framing, new batches only, LEEF 2.0 with a tab, 30 s backoff cap. */
    public static SinkConfig of(String name, String type, String endpoint, Route route) {
        Copy sink = new Copy();
        sink.name = name;
        sink.type = type;
        sink.route = route;
        if (SinkTypes.require(type).endpoint() == SinkType.Endpoint.URL) {
            HttpSinkSettings http = HttpSinkSettings.of(HttpSinkSettings.url(endpoint));
            sink.host = http.url().getHost();
            sink.port = http.port();
            if (http.url().getScheme().equalsIgnoreCase("https")) {
                sink.transport = TransportKind.TLS;
            }
            sink.framing = Framing.OCTET_COUNTING;
            sink.http = Optional.of(http);
            return sink.build();
        }
        if (endpoint.contains("://")) {
            throw new IllegalArgumentException("a " + type + " sink's endpoint is HOST:PORT, not a URL");
        }
        InetSocketAddress address = endpoint(endpoint);
        sink.host = address.getHostString();
        sink.port = address.getPort();
        sink.kafka = kafkaDefaults(type);
        return sink.build();
    }

    public SinkConfig withTransport(TransportKind transport, Framing framing) {
        Copy copy = new Copy(this);
        copy.transport = transport;
        copy.framing = framing;
        return copy.build();
    }

    public SinkConfig withStart(SubscriptionStart start) {
        Copy copy = new Copy(this);
        copy.start = start;
        return copy.build();
    }

    public SinkConfig withMaxBackoff(Duration maxBackoff) {
        Copy copy = new Copy(this);
        copy.maxBackoff = maxBackoff;
        return copy.build();
    }

    public SinkConfig withLeef(LeefEncoder.Version leefVersion, char leefDelimiter) {
        Copy copy = new Copy(this);
        copy.leefVersion = leefVersion;
        copy.leefDelimiter = leefDelimiter;
        return copy.build();
    }

    /** The HTTP settings of a webhook, splunk_hec or opensearch sink (the URL stays the endpoint's). */
    public SinkConfig withHttp(HttpSinkSettings http) {
        if (this.http.isEmpty()) {
            throw new IllegalArgumentException("a " + type + " sink takes no HTTP settings");
        }
        Copy copy = new Copy(this);
        copy.http = Optional.of(http);
        return copy.build();
    }

    /** The topic and SASL settings of an {@code eventhubs_kafka} sink. */
    public SinkConfig withKafka(KafkaSettings kafka) {
        Copy copy = new Copy(this);
        copy.kafka = Optional.of(kafka);
        return copy.build();
    }

    /**
     * The fields of a sink being built or changed, starting from the defaults of {@link #of} or from a sink;
     * {@link #build} checks them all, as the record's constructor does.
     */
    private static final class Copy {
        private String name;
        private String type;
        private String host;
        private int port;
        private TransportKind transport = TransportKind.TCP;
        private Framing framing = Framing.LF;
        private Route route;
        private SubscriptionStart start = SubscriptionStart.LATEST;
        private String productVersion = "1";
        private LeefEncoder.Version leefVersion = LeefEncoder.Version.V2;
        private char leefDelimiter = '\t';
        private SyslogHeader syslog = new SyslogHeader(SyslogHeader.DEFAULT_FACILITY, "vigil");
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Optional<HttpSinkSettings> http = Optional.empty();
        private Optional<KafkaSettings> kafka = Optional.empty();

        Copy() {}

        Copy(SinkConfig sink) {
            name = sink.name;
            type = sink.type;
            host = sink.host;
            port = sink.port;
            transport = sink.transport;
            framing = sink.framing;
            route = sink.route;
            start = sink.start;
            productVersion = sink.productVersion;
            leefVersion = sink.leefVersion;
            leefDelimiter = sink.leefDelimiter;
            syslog = sink.syslog;
            maxBackoff = sink.maxBackoff;
            http = sink.http;
            kafka = sink.kafka;
        }

        SinkConfig build() {
            return new SinkConfig(
                    name,
                    type,
                    host,
                    port,
                    transport,
                    framing,
                    route,
                    start,
                    productVersion,
                    leefVersion,
                    leefDelimiter,
                    syslog,
                    maxBackoff,
                    http,
                    kafka);
        }
    }

    private static Optional<KafkaSettings> kafkaDefaults(String type) {
        if (type.equals(SinkTypes.EVENTHUBS_KAFKA.name())) {
            return Optional.of(KafkaSettings.DEFAULT);
        }
        return Optional.empty();
    }

    /**
     * Where the sink sends: the URL of an HTTP sink, {@code kafka://host:port/topic} of a Kafka one,
     * {@code transport://host:port} of a syslog one.
     */
    public String endpointText() {
        if (http.isPresent()) {
            return http.get().url().toString();
        }
        String address = SinksFile.endpoint(this);
        if (kafka.isPresent()) {
            String scheme = transport == TransportKind.TLS ? "kafka+tls" : "kafka";
            return scheme + "://" + address + "/" + kafka.get().topic().orElse("insights-logs-<category>");
        }
        return transport.configName() + "://" + address;
    }

    /** {@code HOST:PORT}, with {@code [v6]:PORT} for IPv6; not resolved, so a receiver may be down at start. */
    public static InetSocketAddress endpoint(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' is not HOST:PORT");
        }
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(endpoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' has no numeric port");
        }
        if (host.isBlank() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' needs a host and a port 1-65535");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }
}
