package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The settings of an HTTP sink (webhook, Splunk HEC, OpenSearch), checked when built. The secret itself is
 * never in the settings or in {@code sinks.json}: only the file it is read from.
 *
 * @param url the receiver's URL, http or https
 * @param secretFile the file holding the webhook's HMAC key, the HEC token, or OpenSearch's
 *     {@code user:password} or API key; read when the sink is built
 * @param caFile PEM certificates trusted besides the JVM's CA certificates, for an https receiver
 * @param payload the webhook's body: Vigil's row JSON or Azure Monitor's common alert schema
 * @param indexerAck whether Splunk HEC indexer acknowledgement is on (the HEC token must have it enabled)
 * @param batchEvents the most items per request (HEC and bulk; the webhook sends one per request)
 * @param maxAttempts how often an item may be refused as invalid before it is dead-lettered
 * @param requestTimeout how long a request (and a HEC acknowledgement) may take before it is retried
 */
public record HttpSinkSettings(
        URI url,
        Optional<Path> secretFile,
        Optional<Path> caFile,
        Payload payload,
        boolean indexerAck,
        int batchEvents,
        int maxAttempts,
        Duration requestTimeout) {
    public static final int DEFAULT_BATCH_EVENTS = 500;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The webhook's body. */
    public enum Payload {
        /** The row as one JSON object, as {@code syslog_json} writes it. */
        VIGIL("vigil"),
        /** Azure Monitor's common alert schema, as Action Groups post it (SecurityAlert rows only). */
        AZURE_COMMON_ALERT("azure_common_alert");

        private final String configName;

        Payload(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Payload fromConfigName(String name) {
            for (Payload payload : values()) {
                if (payload.configName.equals(name)) {
                    return payload;
                }
            }
            throw new IllegalArgumentException("unknown payload '" + name + "' (vigil or azure_common_alert)");
        }
    }

    public HttpSinkSettings {
        requireNonNull(url, "url is null");
        requireNonNull(secretFile, "secretFile is null");
        requireNonNull(caFile, "caFile is null");
        requireNonNull(payload, "payload is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        url(url.toString());
        if (batchEvents < 1 || batchEvents > 10_000) {
            throw new IllegalArgumentException("batch events must be 1-10000, not " + batchEvents);
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("max attempts must be 1-100, not " + maxAttempts);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive");
        }
        if (caFile.isPresent() && !url.getScheme().equals("https")) {
            throw new IllegalArgumentException("a CA file is for an https endpoint, not " + url);
        }
    }

    /** The defaults for {@code url}: no secret, Vigil's payload, no acknowledgement, 500 events a request. */
    public static HttpSinkSettings of(URI url) {
        return new HttpSinkSettings(
                url,
                Optional.empty(),
                Optional.empty(),
                Payload.VIGIL,
                false,
                DEFAULT_BATCH_EVENTS,
                DEFAULT_MAX_ATTEMPTS,
                DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * Parses and checks an endpoint URL: http or https, a host, no user or password (secrets go in the
     * secret file), no fragment.
     */
    public static URI url(String endpoint) {
        URI url;
        try {
            url = new URI(endpoint);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "sink endpoint '" + endpoint + "' is not an http:// or https:// URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' must be an http:// or https:// URL");
        }
        if (url.getHost() == null || url.getHost().isBlank()) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' has no host");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "sink endpoint '" + endpoint + "' holds a user or password; put the secret in --secret-file");
        }
        if (url.getRawFragment() != null) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' has a #fragment");
        }
        if (url.getPort() == 0 || url.getPort() > 65_535) {
            throw new IllegalArgumentException("sink endpoint '" + endpoint + "' needs a port 1-65535");
        }
        return url;
    }

    /** The port the URL names, or its scheme's default. */
    int port() {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    public HttpSinkSettings withSecretFile(Optional<Path> secretFile) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withCaFile(Optional<Path> caFile) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withPayload(Payload payload) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withIndexerAck(boolean indexerAck) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withBatchEvents(int batchEvents) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withMaxAttempts(int maxAttempts) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    public HttpSinkSettings withRequestTimeout(Duration requestTimeout) {
        return new HttpSinkSettings(
                url, secretFile, caFile, payload, indexerAck, batchEvents, maxAttempts, requestTimeout);
    }

    /** The secret, read now: a missing, unreadable or empty file is refused here, never at the first event. */
    Optional<String> readSecret() {
        if (secretFile.isEmpty()) {
            return Optional.empty();
        }
        Path file = secretFile.get();
        String secret;
        try {
            secret = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("secret file " + file + " cannot be read: " + e.getMessage());
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        if (secret.contains("\n") || secret.contains("\r")) {
            throw new IllegalArgumentException("secret file " + file + " must hold one line");
        }
        return Optional.of(secret);
    }
}
