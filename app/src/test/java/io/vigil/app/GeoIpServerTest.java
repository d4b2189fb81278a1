package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.spi.VigilException;
import io.vigil.testing.MaxMindDbWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil server --geoip-db FILE}: the flag reaches the store, and geo_info_from_ip_address answers
 * from the file through the query API. source: https://learn.microsoft.com/kusto/query/geo-info-from-ip-address-function
 */
class GeoIpServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path database() throws Exception {
        return new MaxMindDbWriter("GeoLite2-City")
                .insert(
                        "20.53.203.0",
                        24,
                        MaxMindDbWriter.cityRecord("Australia", "AU", "New South Wales", "Sydney", -33.8715, 151.2006))
                .insert(
                        "2a03:2880::",
                        32,
                        MaxMindDbWriter.cityRecord("United States", "US", "Florida", "Boca Raton", 26.3594, -80.0771))
                .write(temp.resolve("GeoLite2-City.mmdb"));
    }

    @Test
    void theFlagReachesTheQueryApi() throws Exception {
        Path dataDir = temp.resolve("data");
        ServerCommand command = parse(
                "--data",
                dataDir.toString(),
                "--port",
                "0",
                "--geoip-db",
                database().toString());
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir, command.server.geoIp.database());
                ServerCommand.Running running = ServerCommand.start(runtime, command.server.options())) {
            JsonNode rows = query(
                    running,
                    runtime,
                    "datatable(ip:string) ['20.53.203.50', '2a03:2880:f12c:83:face:b00c::25de', '10.0.0.1', 'nope']"
                            + " | extend g = geo_info_from_ip_address(ip)"
                            + " | project ip, country = tostring(g.country), city = tostring(g.city),"
                            + " latitude = todouble(g.latitude), keys = array_length(bag_keys(g))");
            assertThat(rows.toString())
                    .isEqualTo("[[\"20.53.203.50\",\"Australia\",\"Sydney\",-33.8715,5],"
                            + "[\"2a03:2880:f12c:83:face:b00c::25de\",\"United States\",\"Boca Raton\",26.3594,5],"
                            + "[\"10.0.0.1\",\"\",\"\",null,0],[\"nope\",\"\",\"\",null,0]]");
        }
    }

    @Test
    void withoutTheFlagTheBagIsEmpty() throws Exception {
        Path dataDir = temp.resolve("data");
        ServerCommand command = parse("--data", dataDir.toString(), "--port", "0");
        assertThat(command.server.geoIp.database()).isEmpty();
        try (VigilRuntime runtime = VigilRuntime.open(command.data.dataDir, command.server.geoIp.database());
                ServerCommand.Running running = ServerCommand.start(runtime, command.server.options())) {
            JsonNode rows = query(running, runtime, "print ip_location = geo_info_from_ip_address('20.53.203.50')");
            // the API returns a dynamic value as its JSON text, as Log Analytics does
            assertThat(rows.toString()).isEqualTo("[[\"{}\"]]");
        }
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        ServerCommand command = parse("--geoip-db", temp.resolve("missing.mmdb").toString());
        assertThatThrownBy(() -> command.server.geoIp.database())
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--geoip-db");
    }

    @Test
    void aFileThatIsNotADatabaseFailsTheOpen() throws Exception {
        Path bogus = Files.writeString(temp.resolve("bogus.mmdb"), "not a MaxMind DB");
        ServerCommand command = parse("--data", temp.resolve("data").toString(), "--geoip-db", bogus.toString());
        Optional<Path> file = command.server.geoIp.database();
        assertThatThrownBy(() -> VigilRuntime.open(command.data.dataDir, file))
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("cannot read the GeoIP database");
    }

    private static JsonNode query(ServerCommand.Running running, VigilRuntime runtime, String kql) throws Exception {
        HttpResponse<String> response = ApiQueries.post(running, runtime, kql);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("tables").get(0).path("rows");
    }

    private static ServerCommand parse(String... args) {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
