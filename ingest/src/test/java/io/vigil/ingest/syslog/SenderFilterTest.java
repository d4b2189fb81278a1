package io.vigil.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.spi.VigilException;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderFilterTest {
    @Test
    void rangesMatchByPrefix() throws Exception {
        SenderFilter filter = SenderFilter.parse(List.of("10.0.0.0/8", "192.0.2.7", "172.16.0.0/12", "2001:db8::/32"));
        assertThat(filter.allows(address("10.200.3.4"))).isTrue();
        assertThat(filter.allows(address("11.0.0.1"))).isFalse();
        assertThat(filter.allows(address("192.0.2.7"))).isTrue();
        assertThat(filter.allows(address("192.0.2.8"))).isFalse();
        // a prefix that ends inside a byte: 172.16.0.0/12 is 172.16.0.0 to 172.31.255.255
        assertThat(filter.allows(address("172.31.255.255"))).isTrue();
        assertThat(filter.allows(address("172.32.0.0"))).isFalse();
        assertThat(filter.allows(address("2001:db8:1::5"))).isTrue();
        assertThat(filter.allows(address("2001:db9::5"))).isFalse();
        // an IPv4 sender on a dual-stack socket arrives as ::ffff:a.b.c.d
        assertThat(filter.allows(InetAddress.getByAddress(
                        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3})))
                .isTrue();
    }

    @Test
    void loopbackAndAnyAreNamedPresets() throws Exception {
        assertThat(SenderFilter.LOOPBACK.allows(address("127.0.0.1"))).isTrue();
        assertThat(SenderFilter.LOOPBACK.allows(address("127.8.9.10"))).isTrue();
        assertThat(SenderFilter.LOOPBACK.allows(address("::1"))).isTrue();
        assertThat(SenderFilter.LOOPBACK.allows(address("10.0.0.1"))).isFalse();
        assertThat(SenderFilter.parse(List.of("any"))).isEqualTo(SenderFilter.ANY);
        assertThat(SenderFilter.ANY.allows(address("198.51.100.1"))).isTrue();
        assertThat(SenderFilter.ANY.allows(address("2001:db8::1"))).isTrue();
        assertThat(SenderFilter.LOOPBACK.describe()).isEqualTo("loopback senders only");
        assertThat(SenderFilter.ANY.describe()).isEqualTo("any sender");
        assertThat(SenderFilter.parse(List.of("10.0.0.0/8", "::1")).describe())
                .isEqualTo("senders in 10.0.0.0/8, 0:0:0:0:0:0:0:1/128");
    }

    @Test
    void whatIsNotAnAddressRangeIsRefusedWithoutLookingANameUp() {
        for (String bad :
                List.of("localhost", "vigil.example.com", "10.0.0.0/33", "::/129", "10.0.0.0/", "300.1.1.1")) {
            assertThatThrownBy(() -> SenderFilter.parse(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(VigilException.class)
                    .hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> SenderFilter.parse(List.of()))
                .isInstanceOf(VigilException.class)
                .hasMessageContaining("at least one range");
    }

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }
}
