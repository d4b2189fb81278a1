package io.vigil.store.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.metrics.Metrics;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.MaxMindDbWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** geo_info_from_ip_address over a MaxMind DB written by the test writer. */
class GeoIpDatabaseTest {
    @TempDir
    Path temp;

    static Path cityDatabase(Path file) throws Exception {
        return new MaxMindDbWriter("GeoLite2-City")
                .insert(
                        "20.53.203.0",
                        24,
                        MaxMindDbWriter.cityRecord("Australia", "AU", "New South Wales", "Sydney", -33.8715, 151.2006))
                .insert(
                        "2a03:2880::",
                        32,
                        MaxMindDbWriter.cityRecord("United States", "US", "Florida", "Boca Raton", 26.3594, -80.0771))
                // a country-level record: no city, no subdivision
                .insert("81.2.69.0", 24, Map.of("country", Map.of("names", Map.of("en", "United Kingdom"))))
                .write(file);
    }

    @Test
    void answersTheDocumentedBag() throws Exception {
        try (GeoIpDatabase database = GeoIpDatabase.open(cityDatabase(temp.resolve("city.mmdb")))) {
            assertThat(database.databaseType()).isEqualTo("GeoLite2-City");
            assertThat(database.lookup("20.53.203.50"))
                    .isEqualTo("{\"country\":\"Australia\",\"state\":\"New South Wales\",\"city\":\"Sydney\","
                            + "\"latitude\":-33.8715,\"longitude\":151.2006}");
            assertThat(database.lookup("2a03:2880:f12c:83:face:b00c::25de"))
                    .isEqualTo("{\"country\":\"United States\",\"state\":\"Florida\",\"city\":\"Boca Raton\","
                            + "\"latitude\":26.3594,\"longitude\":-80.0771}");
            assertThat(database.lookup("81.2.69.1")).isEqualTo("{\"country\":\"United Kingdom\"}");
            assertThat(database.lookup("10.0.0.1")).isEqualTo("{}");
        }
    }

    @Test
    void invalidAddressesAreEmptyAndNeverResolved() throws Exception {
        try (GeoIpDatabase database = GeoIpDatabase.open(cityDatabase(temp.resolve("city.mmdb")))) {
            for (String invalid : new String[] {
                "",
                "localhost",
                "example.com",
                "20.53.203",
                "20.53.203.256",
                "020.53.203.50",
                "1:2:3",
                "::g",
                " 1.2.3.4"
            }) {
                assertThat(database.lookup(invalid)).as(invalid).isEqualTo("{}");
            }
            assertThat(database.lookup(null)).isEqualTo("{}");
        }
    }

    @Test
    void cachesEachDistinctAddressOnceAndStaysBounded() throws Exception {
        try (GeoIpDatabase database = GeoIpDatabase.open(cityDatabase(temp.resolve("city.mmdb")))) {
            for (int round = 0; round < 3; round++) {
                database.lookup("20.53.203.50");
                database.lookup("20.53.203.51");
            }
            assertThat(database.cachedAddresses()).isEqualTo(2);
            for (int index = 0; index < GeoIpDatabase.CACHED_ADDRESSES + 10; index++) {
                database.lookup("10." + (index >> 16 & 255) + "." + (index >> 8 & 255) + "." + (index & 255));
            }
            assertThat(database.cachedAddresses()).isLessThanOrEqualTo(GeoIpDatabase.CACHED_ADDRESSES);
        }
    }

    @Test
    void storeRegistersTheLookupAndParseXml() throws Exception {
        Path file = cityDatabase(temp.resolve("city.mmdb"));
        StoreOptions options =
                StoreOptions.builder().geoIpDatabase(Optional.of(file)).build();
        try (DuckDbStore store = DuckDbStore.open(temp.resolve("data"), options, Clock.systemUTC(), new Metrics());
                Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT vigil_geo_info_from_ip_address('20.53.203.50'),"
                        + " vigil_geo_info_from_ip_address('bad'), vigil_parse_xml('<e>text</e>')")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).contains("\"city\":\"Sydney\"");
            assertThat(rows.getString(2)).isEqualTo("{}");
            assertThat(rows.getString(3)).isEqualTo("{\"e\":\"text\"}");
        }
    }

    @Test
    void withoutADatabaseEveryAddressIsEmpty() throws Exception {
        try (DuckDbStore store =
                        DuckDbStore.open(temp.resolve("data"), StoreOptions.DEFAULT, Clock.systemUTC(), new Metrics());
                Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT vigil_geo_info_from_ip_address('20.53.203.50')")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("{}");
        }
    }

    @Test
    void aFileThatIsNotAMaxMindDatabaseFailsTheOpen() throws Exception {
        Path bogus = Files.writeString(temp.resolve("bogus.mmdb"), "not a database");
        StoreOptions options =
                StoreOptions.builder().geoIpDatabase(Optional.of(bogus)).build();
        assertThatThrownBy(() -> DuckDbStore.open(temp.resolve("data"), options, Clock.systemUTC(), new Metrics()))
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("GeoIP database");
    }
}
