package io.vigil.app.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class KqlDcrTransformTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aTransformCanCallTheSeriesFunctions() throws Exception {
        KqlDcrTransform transform =
                new KqlDcrTransform(Clock.fixed(Instant.parse("2026-01-10T00:00:00Z"), ZoneOffset.UTC));
        List<Column> declared = List.of(new Column("Samples", ColumnType.DYNAMIC));
        ObjectNode record = (ObjectNode) JSON.readTree("{\"Samples\": [4, 9, 2]}");

        DcrTransform.Result result = transform.apply(
                "source | extend Stats = series_stats_dynamic(Samples) | project Peak = toreal(Stats.max)",
                declared,
                List.of(record));

        assertThat(result)
                .isInstanceOfSatisfying(
                        DcrTransform.Transformed.class,
                        transformed -> assertThat(transformed.records())
                                .singleElement()
                                .satisfies(row ->
                                        assertThat(row.get("Peak").asDouble()).isEqualTo(9.0)));
    }
}
