package io.vigil.app;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of a running server, shared by {@code server} and {@code demo} so that the two cannot drift:
 * listener address, TLS, syslog, feeds, query limits, HTTP limits, the GeoIP database and the store's memory and spill limits.
 */
final class ServerFlags {
    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP port (0 picks a free one). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(
            names = "--bind",
            defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}")
    String bind;

    @Mixin
    HttpTlsFlags tls;

    @Mixin
    SyslogFlags syslog;

    @Mixin
    FeedFlags feeds;

    @Mixin
    QueryFlags queries;

    @Mixin
    HttpLimitFlags httpLimits;

    @Mixin
    GeoIpFlag geoIp;

    @Mixin
    StoreFlags store;

    /** The options these flags describe; each flag group checks its own values (a bad one throws here). */
    ServeOptions options() {
        return ServeOptions.builder()
                .bind(bind, port)
                .tls(tls.context())
                .syslog(syslog.options())
                .feeds(feeds.options())
                .queryLimits(queries.limits())
                .httpLimits(httpLimits.limits())
                .build();
    }
}
