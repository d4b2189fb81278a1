package io.vigil.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaInputConfigTest {
    private static final String CONNECTION_STRING = "Endpoint=sb://contoso-logs.servicebus.windows.net/;"
            + "SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0\"key=";

    @Test
    void eventHubsConnectionStringBecomesSaslPlainWithTheConnectionStringUser() {
        KafkaInputConfig config = KafkaInputConfig.builder(
                        KafkaInputConfig.eventHubsBootstrap(CONNECTION_STRING),
                        List.of("insights-operational-logs"),
                        "$Default")
                .properties(KafkaInputConfig.eventHubsProperties(CONNECTION_STRING))
                .build();

        Properties properties = KafkaInput.consumerProperties(config);
        assertThat(properties)
                .containsEntry("bootstrap.servers", "contoso-logs.servicebus.windows.net:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("group.id", "$Default")
                .containsEntry("enable.auto.commit", "false");
        assertThat(properties.getProperty("sasl.jaas.config"))
                .startsWith("org.apache.kafka.common.security.plain.PlainLoginModule required")
                .contains("username=\"$ConnectionString\"")
                .contains("SharedAccessKey=c2VjcmV0\\\"key=\";");
    }

    @Test
    void settingsThatCarryTheDeliveryGuaranteeCannotBeOverridden() {
        assertThatThrownBy(() -> KafkaInputConfig.builder("127.0.0.1:9092", List.of("t"), "g")
                        .properties(Map.of("enable.auto.commit", "true"))
                        .build())
                .isInstanceOfSatisfying(
                        VigilException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StandardErrorCode.INVALID_CONFIGURATION))
                .hasMessageContaining("enable.auto.commit");
        assertThatThrownBy(() -> KafkaInputConfig.of("127.0.0.1:9092", List.of(), "g"))
                .hasMessageContaining("--kafka-topic");
        assertThatThrownBy(() -> KafkaInputConfig.eventHubsBootstrap("HostName=x"))
                .hasMessageContaining("Endpoint=sb://");
    }
}
