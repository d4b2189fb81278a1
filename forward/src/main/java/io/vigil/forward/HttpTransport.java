package io.vigil.forward;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * POSTs to one HTTP receiver with the JDK's client: connections kept alive, https checked against the JVM's
 * CA certificates (plus the sink's CA file), every request bounded by the sink's timeout so a stalled
 * receiver turns into a retry, never a stuck route. Redirects are not followed: a sink posts where it was
 * told to.
 */
final class HttpTransport implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** A receiver's answer: the status and the body as text. */
    record Response(int status, String body) {
        Response {
            requireNonNull(body, "body is null");
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The status and the start of the body, for an error text. */
        String describe() {
            String text = body.strip().replace('\n', ' ').replace('\r', ' ');
            return "HTTP " + status + (text.isEmpty() ? "" : ": " + Texts.truncate(text, 300));
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;
    private volatile boolean closed;

    HttpTransport(HttpSinkSettings settings, Optional<SSLContext> tls) {
        requireNonNull(settings, "settings is null");
        requireNonNull(tls, "tls is null");
        SSLContext context = settings.caFile().map(Tls::trusting).orElseGet(() -> tls.orElseGet(Tls::jvmDefault));
        this.client = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(context)
                .build();
        this.requestTimeout = settings.requestTimeout();
    }

    Response post(URI uri, Map<String, String> headers, byte[] body) throws IOException, InterruptedException {
        if (closed) {
            throw new IOException("the sink is stopping");
        }
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(requestTimeout).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response =
                client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), response.body());
    }

    /**
     * What a status means for the item(s) of a request when the body says no more: 2xx taken; 408, 425, 429
     * and 5xx may pass; a redirect or 401, 403, 404, 405 and 407 say the sink is set up wrong (the operator
     * fixes it, the items wait); any other 4xx refuses the item itself.
     */
    static ItemOutcome outcome(Response response) {
        int status = response.status();
        if (response.ok()) {
            return ItemOutcome.ACCEPTED;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500 || status < 400) {
            return new ItemOutcome.Retry(response.describe());
        }
        if (status == 401 || status == 403 || status == 404 || status == 405 || status == 407) {
            return new ItemOutcome.Retry(response.describe() + " (check the sink's endpoint and secret)");
        }
        return new ItemOutcome.Rejected(response.describe());
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops at once: a request in flight fails, so a stopping sink never waits out a stalled receiver. */
    @Override
    public void close() {
        closed = true;
        client.shutdownNow();
    }
}
