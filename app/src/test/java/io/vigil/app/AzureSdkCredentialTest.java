package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.monitor.ingestion.LogsIngestionClient;
import com.azure.monitor.ingestion.LogsIngestionClientBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.models.LogsTableRow;
import com.azure.monitor.query.models.QueryTimeInterval;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.vigil.app.cli.CliRun;
import io.vigil.app.http.ApiKeys;
import io.vigil.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK clients configured as their documentation shows, with nothing but the endpoint, a
 * {@link TokenCredential} and (for the test CA) an HTTP client changed: azure-core's own
 * {@code BearerTokenAuthenticationPolicy} asks the credential for a token and sends it, which it does
 * only over HTTPS. The credential hands out a Vigil API key as the token, as an operator's would.
 */
@Timeout(120)
class AzureSdkCredentialTest {
    private static final String RULE = """
            {
              "properties": {
                "streamDeclarations": {
                  "Custom-SshAudit": {"columns": [
                    {"name": "TimeGenerated", "type": "datetime"},
                    {"name": "Computer", "type": "string"},
                    {"name": "User", "type": "string"}
                  ]}
                },
                "destinations": {"logAnalytics": [{"workspaceResourceId": "ignored", "name": "vigil"}]},
                "dataFlows": [{"streams": ["Custom-SshAudit"], "destinations": ["vigil"],
                               "transformKql": "source", "outputStream": "Custom-SshAudit_CL"}]
              }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void ingestionAndQueryClientsAuthenticateWithACredentialOverHttps() throws Exception {
        TestCertificates certificates = TestCertificates.create(temp.resolve("pki"));
        HttpTlsFlags tls = new HttpTlsFlags();
        new CommandLine(tls)
                .parseArgs(
                        "--tls-cert",
                        certificates.serverCertificate().toString(),
                        "--tls-key",
                        certificates.serverKey().toString());
        Path data = temp.resolve("data");
        Path rule = Files.writeString(temp.resolve("rule.json"), RULE, UTF_8);
        String ruleId = CliRun.run("dcr", "create", "--data", data.toString(), rule.toString())
                .successLines()
                .getFirst();
        try (VigilRuntime runtime = VigilRuntime.open(data)) {
            ApiKeys keys = ApiKeys.load(runtime.workspace());
            String key = Files.readString(runtime.workspace().secretsDir().resolve("admin.key"))
                    .trim();
            List<String> scopes = new CopyOnWriteArrayList<>();
            TokenCredential vigilKey = request -> issue(key, request, scopes);
            try (VigilServer server =
                    VigilServer.builder(runtime, keys).tls(tls.context()).build()) {
                server.start();
                String base = "https://127.0.0.1:" + server.port();
                HttpClient trustingTestCa = trusting(certificates);

                LogsIngestionClient ingestion = new LogsIngestionClientBuilder()
                        .endpoint(base)
                        .credential(vigilKey)
                        .httpClient(trustingTestCa)
                        .buildClient();
                List<Object> logs = new ArrayList<>();
                String now = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).toString();
                for (int i = 0; i < 300; i++) {
                    logs.add(Map.of("TimeGenerated", now, "Computer", "bastion-" + (i % 3), "User", "user" + i));
                }
                ingestion.upload(ruleId, "Custom-SshAudit", logs);

                LogsQueryClient query = new LogsQueryClientBuilder()
                        .endpoint(base + "/v1")
                        .credential(vigilKey)
                        .httpClient(trustingTestCa)
                        .buildClient();
                List<LogsTableRow> rows = query.queryWorkspace(
                                runtime.workspace().workspaceId(),
                                "SshAudit_CL | summarize Users = dcount(User) by Computer | order by Computer asc",
                                new QueryTimeInterval(Duration.ofHours(1)))
                        .getTable()
                        .getRows();
                assertThat(rows)
                        .extracting(row -> row.getColumnValue("Computer")
                                        .orElseThrow()
                                        .getValueAsString() + "="
                                + row.getColumnValue("Users").orElseThrow().getValueAsLong())
                        .containsExactly("bastion-0=100", "bastion-1=100", "bastion-2=100");
                // the token really came from the credential, asked for Azure Monitor's scopes
                assertThat(scopes)
                        .isNotEmpty()
                        .allMatch(scope -> scope.startsWith("https://") && scope.endsWith("/.default"));
            }
        }
    }

    private static Mono<AccessToken> issue(String key, TokenRequestContext request, List<String> scopes) {
        scopes.addAll(request.getScopes());
        return Mono.just(new AccessToken(key, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)));
    }

    private static HttpClient trusting(TestCertificates certificates) throws Exception {
        SslContext netty = SslContextBuilder.forClient()
                .trustManager(certificates.caCertificate().toFile())
                .build();
        return new NettyAsyncHttpClientBuilder(
                        reactor.netty.http.client.HttpClient.create().secure(spec -> spec.sslContext(netty)))
                .build();
    }
}
