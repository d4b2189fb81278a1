package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.http.HttpLimits;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed authentication is rate-limited per client address (issue 16): the real server on loopback, the JDK's
 * HTTP client once from 127.0.0.1 and once from 127.0.0.2 (another loopback address, so another source).
 */
class AuthLockoutTest {
    private static final Duration LOCKOUT = Duration.ofSeconds(3);

    @TempDir
    Path dataDir;

    private final HttpClient first =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void anAddressWithTooManyFailuresIsLockedOutAndOthersAreNot() throws Exception {
        HttpLimits limits = HttpLimits.builder()
                .authLockout(new HttpLimits.AuthLockout(3, Duration.ofMinutes(1), LOCKOUT))
                .build();
        HttpClient second = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build();
        List<String> logged;
        try (LogCapture log = LogCapture.of("io.vigil.app.AuthFailureLog");
                VigilRuntime runtime = VigilRuntime.open(dataDir);
                ServerCommand.Running running = ServerCommand.start(
                        runtime, ServeOptions.builder().httpLimits(limits).build())) {
            String key = Files.readString(dataDir.resolve("secrets/admin.key")).trim();
            String base = "http://127.0.0.1:" + running.server().port();

            assertThat(get(first, base + "/metrics", key).statusCode()).isEqualTo(200);
            for (int i = 0; i < 3; i++) {
                assertThat(get(first, base + "/metrics", "vgl_guess_" + i).statusCode())
                        .isEqualTo(401);
            }

            // locked out: even the right key is not checked, and an ingestion endpoint refuses too
            HttpResponse<String> locked = get(first, base + "/metrics", key);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.body()).contains("TooManyFailedAuthentications");
            long retryAfter =
                    Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, LOCKOUT.toSeconds());
            HttpResponse<String> ingest = first.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/logs?api-version=2016-04-01"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("Log-Type", "Probe")
                            .POST(HttpRequest.BodyPublishers.ofString("[{\"a\":1}]"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ingest.statusCode()).isEqualTo(429);
            // what needs no credential still answers
            assertThat(get(first, base + "/health", null).statusCode()).isEqualTo(200);

            // another source address with the right key is unaffected
            assertThat(get(second, base + "/metrics", key).statusCode()).isEqualTo(200);

            // the lockout ends; bounded wait on a loaded machine
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int status = 429;
            while (status == 429 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                status = get(first, base + "/metrics", key).statusCode();
            }
            assertThat(status).isEqualTo(200);
            logged = log.messages();
        }
        assertThat(logged).anySatisfy(line -> assertThat(line).startsWith("address 127.0.0.1 locked out for PT3S"));
        assertThat(logged)
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line)
                        .contains("127.0.0.1")
                        .doesNotContain("vgl_guess")
                        .doesNotContain(Files.readString(dataDir.resolve("secrets/admin.key"))
                                .trim()));
    }

    private static HttpResponse<String> get(HttpClient client, String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
