package io.vigil.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.testing.TestingClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthLockoutsTest {
    private final TestingClock clock = new TestingClock(Instant.parse("2026-12-06T05:00:00Z"));
    private final AuthLockouts lockouts =
            new AuthLockouts(new HttpLimits.AuthLockout(3, Duration.ofMinutes(1), Duration.ofMinutes(5)), clock);

    @Test
    void theFailureThatReachesTheLimitLocksTheAddressOutForTheLockout() {
        assertThat(lockouts.failed("10.0.0.1")).isFalse();
        assertThat(lockouts.failed("10.0.0.1")).isFalse();
        assertThat(lockouts.lockedFor("10.0.0.1")).isEmpty();
        assertThat(lockouts.failed("10.0.0.1")).isTrue();
        assertThat(lockouts.lockedFor("10.0.0.1")).contains(Duration.ofMinutes(5));
        assertThat(lockouts.lockedFor("10.0.0.2")).isEmpty();

        // failures while locked out neither count nor extend it
        clock.advance(Duration.ofMinutes(2));
        assertThat(lockouts.failed("10.0.0.1")).isFalse();
        assertThat(lockouts.lockedFor("10.0.0.1")).contains(Duration.ofMinutes(3));

        clock.advance(Duration.ofMinutes(3));
        assertThat(lockouts.lockedFor("10.0.0.1")).isEmpty();
        // served: the address starts afresh
        assertThat(lockouts.failed("10.0.0.1")).isFalse();
        assertThat(lockouts.lockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void failuresOutsideOneWindowDoNotAddUp() {
        lockouts.failed("10.0.0.1");
        lockouts.failed("10.0.0.1");
        clock.advance(Duration.ofSeconds(61));
        assertThat(lockouts.failed("10.0.0.1")).isFalse();
        assertThat(lockouts.lockedFor("10.0.0.1")).isEmpty();
    }

    @Test
    void zeroFailuresMeansNoLockout() {
        AuthLockouts off =
                new AuthLockouts(new HttpLimits.AuthLockout(0, Duration.ofMinutes(1), Duration.ofMinutes(1)), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(off.failed("10.0.0.1")).isFalse();
        }
        assertThat(off.lockedFor("10.0.0.1")).isEmpty();
    }
}
