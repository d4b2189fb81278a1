package io.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.spi.LogFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AzureFormatsDetectTest {
    private static final Path GOLDEN = GoldenFormatTest.GOLDEN;

    private static String detected(String file) throws Exception {
        return LogFormats.builtIn()
                .detect(Files.readAllBytes(GOLDEN.resolve(file)))
                .map(LogFormat::name)
                .orElse("");
    }

    @Test
    void mixedEventHubsMessagesGoToTheDispatcherEvenWithFlowTuplesInside() throws Exception {
        assertThat(detected("azure_resource_log/mixed-eventhub-message.json")).isEqualTo("azure_resource_log");
    }

    @Test
    void singleKindFilesGoToTheirOwnFormat() throws Exception {
        assertThat(detected("nsg_flow/docs-v2-example.json")).isEqualTo("nsg_flow");
        assertThat(detected("azure_activity/otel-administrative.json")).isEqualTo("azure_activity");
        assertThat(detected("entra_signin/signin-categories.ndjson")).isEqualTo("entra_signin");
        assertThat(detected("azure_resource_log/docs-keyvault-auditevent.json")).isEqualTo("azure_resource_log");
    }
}
