package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.maxmind.db.CHMCache;
import com.maxmind.db.DatabaseRecord;
import com.maxmind.db.Reader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test writer's files as the real MaxMind DB reader reads them. */
class MaxMindDbWriterTest {
    @TempDir
    Path temp;

    @Test
    void readerFindsEachNetworkAndItsRecord() throws Exception {
        Path file = new MaxMindDbWriter("GeoLite2-City")
                .insert(
                        "20.53.203.0",
                        24,
                        MaxMindDbWriter.cityRecord("Australia", "AU", "New South Wales", "Sydney", -33.8715, 151.2006))
                .insert(
                        "81.2.69.160",
                        27,
                        MaxMindDbWriter.cityRecord("United Kingdom", "GB", "England", "London", 51.5142, -0.0931))
                .insert(
                        "2a03:2880::",
                        32,
                        MaxMindDbWriter.cityRecord("United States", "US", "Florida", "Boca Raton", 26.3594, -80.0771))
                .write(temp.resolve("city.mmdb"));
        try (Reader reader = new Reader(file.toFile(), new CHMCache())) {
            assertThat(reader.getMetadata().getDatabaseType()).isEqualTo("GeoLite2-City");
            assertThat(reader.getMetadata().getIpVersion()).isEqualTo(6);
            assertThat(reader.getMetadata().getLanguages()).containsExactly("en");
            assertThat(reader.getMetadata().getBinaryFormatMajorVersion()).isEqualTo(2);

            DatabaseRecord<Map> sydney = reader.getRecord(address("20.53.203.50"), Map.class);
            assertThat(sydney.getNetwork().toString()).isEqualTo("20.53.203.0/24");
            Map<?, ?> data = sydney.getData();
            assertThat(path(data, "country", "names", "en")).isEqualTo("Australia");
            assertThat(path(data, "country", "iso_code")).isEqualTo("AU");
            assertThat(path(data, "city", "names", "en")).isEqualTo("Sydney");
            assertThat(path(data, "location", "latitude")).isEqualTo(-33.8715);
            assertThat(path(data, "location", "longitude")).isEqualTo(151.2006);
            assertThat(path(data, "location", "accuracy_radius")).isEqualTo(100);
            List<?> subdivisions = (List<?>) data.get("subdivisions");
            assertThat(path((Map<?, ?>) subdivisions.get(0), "names", "en")).isEqualTo("New South Wales");

            assertThat(path(reader.get(address("81.2.69.191"), Map.class), "city", "names", "en"))
                    .isEqualTo("London");
            assertThat(path(reader.get(address("2a03:2880:f12c:83:face:b00c::25de"), Map.class), "city", "names", "en"))
                    .isEqualTo("Boca Raton");
            // outside every network: the reader finds no record
            assertThat(reader.get(address("81.2.69.159"), Map.class)).isNull();
            assertThat(reader.get(address("20.53.204.1"), Map.class)).isNull();
            assertThat(reader.get(address("2a03:2881::1"), Map.class)).isNull();
        }
    }

    @Test
    void writesEveryValueTypeAndLongSizes() throws Exception {
        String longText = "x".repeat(300);
        Map<String, Object> record = Map.of(
                "text",
                longText,
                "flag",
                true,
                "off",
                false,
                "small",
                7,
                "wide",
                4_000_000_000L,
                "huge",
                new BigInteger("9000000000000000000"),
                "list",
                List.of("a", 2.5));
        Path file = new MaxMindDbWriter("Test").insert("10.0.0.0", 8, record).write(temp.resolve("types.mmdb"));
        try (Reader reader = new Reader(file.toFile())) {
            Map<?, ?> data = reader.get(address("10.1.2.3"), Map.class);
            assertThat(data.get("text")).isEqualTo(longText);
            assertThat(data.get("flag")).isEqualTo(true);
            assertThat(data.get("off")).isEqualTo(false);
            assertThat(data.get("small")).isEqualTo(7);
            assertThat(data.get("wide")).isEqualTo(4_000_000_000L);
            assertThat(data.get("huge")).isEqualTo(new BigInteger("9000000000000000000"));
            assertThat(data.get("list")).isEqualTo(List.of("a", 2.5));
        }
    }

    @Test
    void refusesOverlappingNetworks() throws Exception {
        MaxMindDbWriter writer = new MaxMindDbWriter("Test").insert("10.0.0.0", 8, "a");
        assertThatThrownBy(() -> writer.insert("10.1.0.0", 16, "b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> writer.insert("example.com", 16, "b")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static Object path(Map<?, ?> map, String... keys) {
        Object value = map;
        for (String key : keys) {
            value = ((Map<?, ?>) value).get(key);
        }
        return value;
    }
}
