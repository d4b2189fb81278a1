package io.vigil.formats.appinsights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AppInsightsDurationTest {
    @Test
    void parsesContractDurations() {
        assertThat(AppInsightsEnvelopeFormat.durationMs("00:00:00.1234567")).isEqualTo(123.4567);
        assertThat(AppInsightsEnvelopeFormat.durationMs("1.02:03:04.5")).isEqualTo(93_784_500.0);
        assertThat(AppInsightsEnvelopeFormat.durationMs("00:01:00")).isEqualTo(60_000.0);
        assertThat(AppInsightsEnvelopeFormat.durationMs("soon")).isNull();
    }
}
