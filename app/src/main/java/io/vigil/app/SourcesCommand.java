package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.ingest.tls.PemFiles;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "sources",
        mixinStandardHelpOptions = true,
        description = "Print the health of a running server's sources (GET /v1/sources): events, rate, failures,"
                + " last event, lag")
final class SourcesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> HEADER =
            List.of("INPUT", "SOURCE", "EVENTS", "EVENTS/S", "FAILURES", "LAST EVENT", "LAG");

    @Option(
            names = "--server",
            required = true,
            paramLabel = "URL",
            description = "The server, e.g. http://127.0.0.1:8080")
    URI server;

    @Option(
            names = "--key-file",
            paramLabel = "FILE",
            description = "File holding an API key. Default: <data>/secrets/admin.key")
    Path keyFile;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            defaultValue = "vigil-data",
            description = "Workspace data folder whose admin key is used without --key-file. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(
            names = "--ca-cert",
            paramLabel = "PEM",
            description = "Trust this PEM certificate (or CA bundle) for an https --server, e.g. a self-signed one")
    Path caCertificate;

    @Option(
            names = "--format",
            defaultValue = "table",
            paramLabel = "table|json",
            description = "Output: table or the API's JSON. Default: ${DEFAULT-VALUE}")
    String format;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("table") && !format.equals("json")) {
            throw usage("--format must be table or json, was " + format);
        }
        String body = fetch(server, keyFile, dataDir, caCertificate, "/v1/sources");
        PrintStream out = System.out;
        if (format.equals("json")) {
            out.print(body);
        } else {
            out.print(table(JSON.readTree(body)));
        }
        out.flush();
        return 0;
    }

    /** GETs {@code path} of a running server with the API key of {@code keyFile} (else of {@code dataDir}). */
    static String fetch(URI server, Path keyFile, Path dataDir, Path caCertificate, String path)
            throws IOException, InterruptedException {
        if (server.getScheme() == null
                || !(server.getScheme().equals("http") || server.getScheme().equals("https"))
                || server.getHost() == null) {
            throw usage("--server must be an http(s) URL such as http://127.0.0.1:8080, not " + server);
        }
        Path key = keyFile;
        if (key == null) {
            key = dataDir.resolve("secrets").resolve("admin.key");
        }
        String apiKey;
        try {
            apiKey = Files.readString(key, UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw usage("API key file " + key + " does not exist (give --key-file FILE or --data DIR)");
        }
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        if (caCertificate != null) {
            client.sslContext(trusting(caCertificate));
        }
        URI url = server.resolve(path);
        HttpResponse<String> response;
        try (HttpClient http = client.build()) {
            response = http.send(
                    HttpRequest.newBuilder(url)
                            .timeout(TIMEOUT)
                            .header("Authorization", "Bearer " + apiKey)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8));
        } catch (IOException e) {
            throw new VigilException(
                    StandardErrorCode.EXTERNAL_FAILURE, "cannot reach " + url + ": " + e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            throw new VigilException(
                    StandardErrorCode.EXTERNAL_FAILURE,
                    url + " answered " + response.statusCode() + ": "
                            + response.body().strip());
        }
        return response.body();
    }

    private static SSLContext trusting(Path pem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, PemFiles.trustManagers(pem).getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw usage("cannot trust " + pem + ": " + e.getMessage());
        }
    }

    /** The sources as an aligned text table, one line a source. */
    static String table(JsonNode body) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode source : body.path("sources")) {
            String lag = "-";
            if (source.path("lag").isObject()) {
                lag = source.path("lag").path("value").asLong() + " "
                        + source.path("lag").path("unit").asText();
            }
            String lastEvent = "-";
            if (source.path("lastEventTime").isTextual()) {
                lastEvent = source.path("lastEventTime").asText();
            }
            rows.add(List.of(
                    source.path("input").asText(),
                    dashIfEmpty(source.path("source").asText()),
                    Long.toString(source.path("eventsTotal").asLong()),
                    String.format(
                            Locale.ROOT, "%.2f", source.path("eventsPerSecond").asDouble()),
                    failures(source.path("failures")),
                    lastEvent,
                    lag));
        }
        return TextTable.render(rows);
    }

    private static String failures(JsonNode failures) {
        if (failures.isEmpty()) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = failures.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            parts.add(field.getKey() + "=" + field.getValue().asLong());
        }
        return String.join(",", parts);
    }

    private static String dashIfEmpty(String text) {
        if (text.isEmpty()) {
            return "-";
        }
        return text;
    }

    private static VigilException usage(String message) {
        return new VigilException(StandardErrorCode.INVALID_ARGUMENT, message);
    }
}
