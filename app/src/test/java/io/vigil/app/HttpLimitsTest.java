package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.app.http.HttpLimits;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HttpLimitsTest {
    @Test
    void theFlagDefaultsAreTheRecordDefaultsOnBothCommands() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs();
        assertThat(server.server.httpLimits.limits()).isEqualTo(HttpLimits.DEFAULT);
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        assertThat(demo.server.httpLimits.limits()).isEqualTo(HttpLimits.DEFAULT);
        assertThat(HttpLimits.DEFAULT.rateLimit().enabled()).isFalse();
    }

    @Test
    void everyFlagSetsItsLimit() {
        ServerCommand server = new ServerCommand();
        new CommandLine(server)
                .parseArgs(
                        "--http-idle-timeout",
                        "7500ms",
                        "--http-header-timeout",
                        "PT5S",
                        "--http-min-body-rate",
                        "0",
                        "--http-max-connections",
                        "64",
                        "--http-max-header-bytes",
                        "16384",
                        "--http-max-threads",
                        "32",
                        "--http-max-inflight-body-bytes",
                        "67108864",
                        "--http-rate-limit",
                        "2.5",
                        "--http-rate-burst",
                        "5",
                        "--http-auth-max-failures",
                        "5",
                        "--http-auth-lockout",
                        "10m");
        assertThat(server.server.httpLimits.limits())
                .isEqualTo(HttpLimits.builder()
                        .idleTimeout(Duration.ofMillis(7500))
                        .headerTimeout(Duration.ofSeconds(5))
                        .minBodyBytesPerSecond(0)
                        .maxConnections(64)
                        .maxHeaderBytes(16384)
                        .maxThreads(32)
                        .maxInFlightBodyBytes(64L * 1024 * 1024)
                        .rateLimit(new HttpLimits.RateLimit(2.5, 5))
                        .anonymousInputs(Set.of())
                        .authLockout(new HttpLimits.AuthLockout(5, Duration.ofMinutes(10), Duration.ofMinutes(10)))
                        .build());
    }

    @Test
    void badValuesAreConfigurationErrorsNamingTheLimit() {
        assertThatThrownBy(() -> limits("--http-idle-timeout", "soon"))
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("--http-idle-timeout 'soon' is not a duration")
                .extracting(e -> ((VigilException) e).errorCode())
                .isEqualTo(StandardErrorCode.INVALID_CONFIGURATION);
        assertThatThrownBy(() -> limits("--http-header-timeout", "0s")).hasMessageContaining("header timeout");
        assertThatThrownBy(() -> limits("--http-idle-timeout", "10s"))
                .hasMessageContaining("header timeout (PT20S) must not be longer than the idle timeout (PT10S)");
        assertThatThrownBy(() -> limits("--http-max-connections", "0")).hasMessageContaining("connections");
        assertThatThrownBy(() -> limits("--http-max-threads", "2")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> limits("--http-max-header-bytes", "100")).hasMessageContaining("at least 1024");
        assertThatThrownBy(() -> limits("--http-max-inflight-body-bytes", "1000"))
                .hasMessageContaining("1 MB body");
        assertThatThrownBy(() -> limits("--http-min-body-rate", "-1")).hasMessageContaining("body rate");
        assertThatThrownBy(() -> limits("--http-rate-limit", "-3")).hasMessageContaining("request rate");
        assertThatThrownBy(() -> limits("--http-rate-limit", "NaN")).hasMessageContaining("request rate");
        assertThatThrownBy(() -> limits("--http-rate-burst", "0")).hasMessageContaining("burst");
        assertThatThrownBy(() -> limits("--http-auth-max-failures", "-1"))
                .hasMessageContaining("failed authentications before a lockout");
        assertThatThrownBy(() -> limits("--http-auth-lockout", "0s"))
                .hasMessageContaining("authentication failure window must be positive");
    }

    private static HttpLimits limits(String... args) {
        ServerCommand server = new ServerCommand();
        new CommandLine(server).parseArgs(args);
        return server.server.httpLimits.limits();
    }
}
