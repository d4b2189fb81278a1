package io.vigil.app;

import static java.util.Objects.requireNonNull;

import io.vigil.app.http.HttpLimits;
import io.vigil.engine.QueryLimits;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * What a running server serves and how: the HTTP address, TLS, the syslog listeners, the feeds and the
 * limits. {@code vigil server} and {@code vigil demo} both build it from {@link ServerFlags}; tests build
 * it with {@link #builder()}, whose defaults are loopback, an ephemeral port, plain HTTP, no listeners or
 * feeds, and the default limits.
 */
record ServeOptions(
        String bind,
        int port,
        Optional<SSLContext> tls,
        SyslogOptions syslog,
        FeedOptions feeds,
        QueryLimits queryLimits,
        HttpLimits httpLimits) {
    ServeOptions {
        requireNonNull(bind, "bind is null");
        requireNonNull(tls, "tls is null");
        requireNonNull(syslog, "syslog is null");
        requireNonNull(feeds, "feeds is null");
        requireNonNull(queryLimits, "queryLimits is null");
        requireNonNull(httpLimits, "httpLimits is null");
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private String bind = "127.0.0.1";
        private int port;
        private Optional<SSLContext> tls = Optional.empty();
        private SyslogOptions syslog = SyslogOptions.NONE;
        private FeedOptions feeds = FeedOptions.NONE;
        private QueryLimits queryLimits = QueryLimits.DEFAULT;
        private HttpLimits httpLimits = HttpLimits.DEFAULT;

        private Builder() {}

        /** The HTTP address and port; the syslog listeners bind the same address. */
        Builder bind(String bind, int port) {
            this.bind = bind;
            this.port = port;
            return this;
        }

        Builder tls(Optional<SSLContext> tls) {
            this.tls = tls;
            return this;
        }

        Builder syslog(SyslogOptions syslog) {
            this.syslog = syslog;
            return this;
        }

        Builder feeds(FeedOptions feeds) {
            this.feeds = feeds;
            return this;
        }

        Builder queryLimits(QueryLimits queryLimits) {
            this.queryLimits = queryLimits;
            return this;
        }

        Builder httpLimits(HttpLimits httpLimits) {
            this.httpLimits = httpLimits;
            return this;
        }

        ServeOptions build() {
            return new ServeOptions(bind, port, tls, syslog, feeds, queryLimits, httpLimits);
        }
    }
}
