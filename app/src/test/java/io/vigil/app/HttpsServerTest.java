package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.core.http.policy.AddHeadersPolicy;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vigil.app.http.ApiKeys;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * HTTPS on the HTTP port with a certificate made by openssl: the JDK's HTTP client and the Azure SDK's
 * {@code LogsQueryClient} (over its Netty transport) trust only the test CA and check the name 127.0.0.1.
 */
@Timeout(120)
class HttpsServerTest {
    @TempDir
    Path temp;

    @Test
    void servesEveryApiOverTlsToClientsTrustingTheCertificate() throws Exception {
        TestCertificates certificates = TestCertificates.create(temp.resolve("pki"));
        HttpTlsFlags flags = parse(
                "--tls-cert",
                certificates.serverCertificate().toString(),
                "--tls-key",
                certificates.serverKey().toString());
        try (VigilRuntime runtime = VigilRuntime.open(temp.resolve("data"))) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            String key = Files.readString(keys.createdAdminKey().orElseThrow()).trim();
            String now = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5).toString();
            runtime.pipeline()
                    .ingest(
                            "test",
                            "inline",
                            ("[{\"TimeGenerated\":\"" + now + "\",\"Type\":\"Heartbeat\",\"Computer\":\"tls-vm\"}]")
                                    .getBytes(StandardCharsets.UTF_8),
                            Optional.empty());
            try (VigilServer server =
                    VigilServer.builder(runtime, keys).tls(flags.context()).build()) {
                server.start();
                assertThat(server.scheme()).isEqualTo("https");
                String base = "https://127.0.0.1:" + server.port();
                HttpClient trusting = HttpClient.newBuilder()
                        .sslContext(certificates.trustingClientContext())
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();

                HttpResponse<String> health = trusting.send(
                        HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"ok\"");
                // auth stays on over TLS
                HttpResponse<String> anonymous = trusting.send(
                        HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(anonymous.statusCode()).isEqualTo(401);
                String workspace = runtime.workspace().workspaceId();
                HttpResponse<String> query = trusting.send(
                        HttpRequest.newBuilder(URI.create(base + "/v1/workspaces/" + workspace + "/query"))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"query\":\"Heartbeat | project Computer\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(query.statusCode()).isEqualTo(200);
                assertThat(query.body()).contains("tls-vm");

                // a client that does not trust the certificate refuses the handshake
                HttpClient untrusting = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                assertThatThrownBy(() -> untrusting.send(
                                HttpRequest.newBuilder(URI.create(base + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(SSLHandshakeException.class);
                // plain HTTP on the TLS port gets a TLS alert back, no API answer
                HttpClient plain = HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
                assertThatThrownBy(() -> plain.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString()))
                        .isInstanceOf(IOException.class);

                // the Azure SDK's query client over its Netty transport, trusting the test CA
                SslContext netty = SslContextBuilder.forClient()
                        .trustManager(certificates.caCertificate().toFile())
                        .build();
                LogsQueryClient client = new LogsQueryClientBuilder()
                        .pipeline(new HttpPipelineBuilder()
                                .httpClient(
                                        new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
                                                        .secure(spec -> spec.sslContext(netty)))
                                                .build())
                                .policies(new AddHeadersPolicy(new HttpHeaders().set("Authorization", "Bearer " + key)))
                                .build())
                        .endpoint(base + "/v1")
                        .buildClient();
                List<LogsTableRow> rows = client.queryWorkspace(
                                workspace,
                                "Heartbeat | summarize Beats = count() by Computer",
                                new QueryTimeInterval(Duration.ofDays(1)))
                        .getTable()
                        .getRows();
                assertThat(rows).hasSize(1);
                assertThat(rows.get(0).getColumnValue("Computer").orElseThrow().getValueAsString())
                        .isEqualTo("tls-vm");
                assertThat(rows.get(0).getColumnValue("Beats").orElseThrow().getValueAsLong())
                        .isEqualTo(1L);
            }
        }
    }

    @Test
    void badTlsFlagsFailBeforeTheServerStarts() throws IOException, InterruptedException {
        TestCertificates certificates = TestCertificates.create(temp.resolve("pki"));
        assertThat(parse().context()).isEmpty();
        assertThatThrownBy(() -> parse(
                                "--tls-cert", certificates.serverCertificate().toString())
                        .context())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--tls-cert and --tls-key go together");
        // a certificate where the key should be
        assertThatThrownBy(() -> parse(
                                "--tls-cert",
                                certificates.serverCertificate().toString(),
                                "--tls-key",
                                certificates.serverCertificate().toString())
                        .context())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("no unencrypted PKCS#8 private key")
                .satisfies(e -> assertThat(((VigilException) e).errorCode())
                        .isEqualTo(StandardErrorCode.INVALID_CONFIGURATION));
        // a traditional PKCS#1 key gets a hint how to convert it
        Path traditional = temp.resolve("traditional.key");
        Files.writeString(traditional, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> parse(
                                "--tls-cert",
                                certificates.serverCertificate().toString(),
                                "--tls-key",
                                traditional.toString())
                        .context())
                .hasMessageContaining("openssl pkcs8 -topk8");
    }

    private static HttpTlsFlags parse(String... arguments) {
        HttpTlsFlags flags = new HttpTlsFlags();
        new CommandLine(flags).parseArgs(arguments);
        return flags;
    }
}
