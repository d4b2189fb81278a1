package io.vigil.store.hash;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XxHash64Test {
    @Test
    void emptyInputHasTheSpecificationsValue() {
        assertThat(XxHash64.of(new byte[0])).isEqualTo(0xEF46DB3751D8E999L);
    }

    @Test
    void inputOfThirtyTwoBytesOrMoreUsesTheFourLanes() {
        // the python-xxhash documentation's example, 39 bytes
        assertThat(XxHash64.ofText("Nobody inspects the spammish repetition")).isEqualTo(0xFBCEA83C8A378BF1L);
    }

    @Test
    void kustoHashExamples() {
        // hash-function: hash("World") and hash(datetime("2015-01-01")), the datetime as .NET ticks
        assertThat(XxHash64.ofText("World")).isEqualTo(1846988464401551951L);
        assertThat(XxHash64.ofLong(635556672000000000L)).isEqualTo(1380966698541616202L);
    }
}
