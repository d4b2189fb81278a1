package io.vigil.app.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilRuntime;
import io.vigil.app.http.HttpLimits;
import io.vigil.app.ingestion.IngestionRequests.Endpoint;
import io.vigil.formats.LogFormats;
import io.vigil.ingest.IngestPipeline;
import io.vigil.metrics.Metrics;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HTTP inputs take the one road in: the runtime's own {@link IngestPipeline}, the one syslog and the
 * feeds use, not a second pipeline the server builds for itself.
 */
class SharedPipelineTest {
    @ParameterizedTest
    @EnumSource(Endpoint.class)
    void everyHttpInputIsCountedByTheRuntimesPipeline(Endpoint endpoint, @TempDir Path dataDir) throws Exception {
        VigilRuntime opened = VigilRuntime.open(dataDir);
        // the pipeline counts into metrics of its own, so what it counted tells which pipeline stored a request
        Metrics pipelineMetrics = new Metrics();
        IngestPipeline pipeline =
                new IngestPipeline(opened.store(), LogFormats.builtIn(), opened.clock(), pipelineMetrics);
        VigilRuntime runtime =
                new VigilRuntime(opened.workspace(), opened.store(), opened.metrics(), pipeline, opened.clock());
        try (IngestionTestServer server = new IngestionTestServer(runtime, HttpLimits.DEFAULT)) {
            IngestionRequests requests = new IngestionRequests(server);

            assertThat(requests.send(endpoint, requests.body(endpoint, "shared", 2))
                            .statusCode())
                    .isEqualTo(IngestionRequests.success(endpoint));

            assertThat(requests.stored(endpoint, "shared")).isEqualTo(2);
            assertThat(pipelineMetrics.snapshot("events_received_total").stream()
                            .mapToLong(Metrics.Series::value)
                            .sum())
                    .isEqualTo(2);
            assertThat(runtime.metrics().snapshot("events_received_total")).isEmpty();
        }
    }
}
