package io.vigil.ingest.syslog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogStreamFramerTest {
    private static final int LIMIT = 480;

    @Test
    void octetCountingAndTerminatedFramesMixOnOneStream() throws IOException {
        String stream = "11 <13>1 - - -" + "<13>lf frame\n" + "<13>crlf frame\r\n" + "<13>nul frame\0" + "\n\n"
                + "5 <13>x" + "<13>last, no trailer";
        for (boolean trickle : List.of(false, true)) {
            List<String> frames = describe(frames(stream.getBytes(UTF_8), trickle));
            assertThat(frames)
                    .containsExactly(
                            "message <13>1 - - -",
                            "message <13>lf frame",
                            "message <13>crlf frame",
                            "message <13>nul frame",
                            "message <13>x",
                            "message <13>last, no trailer");
        }
    }

    @Test
    void oversizeFramesKeepTheirFirstBytesAndTheStreamStaysInStep() throws IOException {
        String big = "<13>" + "a".repeat(1000);
        String stream = big + "\n" + big.length() + " " + big + "<13>after\n";
        for (boolean trickle : List.of(false, true)) {
            List<SyslogFrame> frames = frames(stream.getBytes(UTF_8), trickle);
            assertThat(frames).hasSize(3);
            SyslogFrame.Oversize terminated = (SyslogFrame.Oversize) frames.get(0);
            assertThat(terminated.prefix()).hasSize(LIMIT);
            assertThat(terminated.length()).isEqualTo(big.length());
            SyslogFrame.Oversize counted = (SyslogFrame.Oversize) frames.get(1);
            assertThat(new String(counted.prefix(), UTF_8)).isEqualTo(big.substring(0, LIMIT));
            assertThat(counted.length()).isEqualTo(big.length());
            assertThat(describe(frames.subList(2, 3))).containsExactly("message <13>after");
        }
    }

    @Test
    void anOctetCountedFrameCutShortIsTruncated() throws IOException {
        List<SyslogFrame> frames = frames("100 <13>half a frame".getBytes(UTF_8), false);
        assertThat(describe(frames)).containsExactly("truncated 100 <13>half a frame");
    }

    @Test
    void digitsWithoutASpaceAreAMessageNotALength() throws IOException {
        assertThat(describe(frames("12345678901 x\n123abc\n42".getBytes(UTF_8), true)))
                .containsExactly("message 12345678901 x", "message 123abc", "message 42");
    }

    @Test
    void emptyStreamHasNoFrames() throws IOException {
        assertThat(frames(new byte[0], false)).isEmpty();
        assertThat(frames("\n\r\n\0".getBytes(UTF_8), false)).isEmpty();
    }

    private static List<SyslogFrame> frames(byte[] bytes, boolean trickle) throws IOException {
        InputStream in = new ByteArrayInputStream(bytes);
        if (trickle) {
            in = new OneByteAtATime(in);
        }
        SyslogStreamFramer framer = new SyslogStreamFramer(in, LIMIT);
        List<SyslogFrame> frames = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            SyslogFrame frame = framer.next();
            if (frame == null) {
                assertThat(framer.bytesRead()).isEqualTo(bytes.length);
                return frames;
            }
            frames.add(frame);
        }
        throw new AssertionError("framer did not reach the end of the stream");
    }

    private static List<String> describe(List<SyslogFrame> frames) {
        List<String> described = new ArrayList<>();
        for (SyslogFrame frame : frames) {
            described.add(
                    switch (frame) {
                        case SyslogFrame.Message message -> "message " + new String(message.bytes(), UTF_8);
                        case SyslogFrame.Oversize oversize -> "oversize " + oversize.length();
                        case SyslogFrame.Truncated truncated ->
                            "truncated " + truncated.declaredLength() + " " + new String(truncated.bytes(), UTF_8);
                    });
        }
        return described;
    }

    /** Delivers one byte per read, to cross every buffer boundary. */
    private static final class OneByteAtATime extends InputStream {
        private final InputStream in;

        OneByteAtATime(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            return in.read(buffer, offset, 1);
        }
    }
}
