package io.vigil.ingest.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a TCP or TLS byte stream into syslog messages, choosing the framing per frame from its first
 * bytes, as RFC 6587 §3.4 lets a receiver do: a frame that starts with a non-zero digit, more digits
 * and a space is octet-counted (RFC 6587 §3.4.1, and the only framing of RFC 5425 §4.3); any other
 * frame is non-transparent (RFC 6587 §3.4.2) and ends at LF, or at NUL, which §3.4.2 names as the
 * other trailer seen in practice; a CR before the LF (the two-character trailer §3.4.2 also mentions)
 * is dropped. Memory is bounded by the message limit: longer frames are read through and returned as
 * {@link SyslogFrame.Oversize} with their first bytes.
 */
final class SyslogStreamFramer {
    // MSG-LEN = NONZERO-DIGIT *DIGIT (RFC 6587 §3.4.1, RFC 5425 §4.3); ten digits exceed any limit
    private static final int MAX_LENGTH_DIGITS = 10;

    private final InputStream in;
    private final int maxMessageBytes;
    private final byte[] buffer;
    private int start;
    private int end;
    private boolean endOfStream;
    private long bytesRead;

    SyslogStreamFramer(InputStream in, int maxMessageBytes) {
        this.in = in;
        this.maxMessageBytes = maxMessageBytes;
        // room for the longest message, its length prefix and a trailer, so every frame fits once compacted
        this.buffer = new byte[Math.max(maxMessageBytes + MAX_LENGTH_DIGITS + 2, 8192)];
    }

    /** Bytes read from the stream so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** The next frame, or null at the end of the stream with nothing left over. */
    SyslogFrame next() throws IOException {
        while (true) {
            // empty frames (a trailer after an octet-counted frame, blank lines) carry nothing
            while (start < end && isTrailer(buffer[start])) {
                start++;
            }
            if (start == end) {
                if (endOfStream || !fill()) {
                    return null;
                }
                continue;
            }
            int digits = lengthDigits();
            if (digits < 0) {
                // not sure yet: wait for more bytes, unless none will come
                if (fill()) {
                    continue;
                }
                digits = 0;
            }
            if (digits > 0) {
                return octetCounted(digits);
            }
            return terminated();
        }
    }

    /**
     * The number of MSG-LEN digits when the frame starts with {@code digits SP}, 0 when it is not
     * octet-counted, -1 when the buffer ends before that is known.
     */
    private int lengthDigits() {
        if (buffer[start] < '1' || buffer[start] > '9') {
            return 0;
        }
        int position = start;
        while (position < end && isDigit(buffer[position])) {
            position++;
            if (position - start > MAX_LENGTH_DIGITS) {
                return 0;
            }
        }
        if (position == end) {
            if (endOfStream) {
                return 0;
            }
            return -1;
        }
        if (buffer[position] == ' ') {
            return position - start;
        }
        return 0;
    }

    private SyslogFrame octetCounted(int digits) throws IOException {
        long length = Long.parseLong(new String(buffer, start, digits, StandardCharsets.US_ASCII));
        start += digits + 1;
        if (length <= maxMessageBytes) {
            int size = (int) length;
            while (end - start < size) {
                if (!fill()) {
                    byte[] partial = Arrays.copyOfRange(buffer, start, end);
                    start = end;
                    return new SyslogFrame.Truncated(partial, length);
                }
            }
            byte[] message = Arrays.copyOfRange(buffer, start, start + size);
            start += size;
            return new SyslogFrame.Message(message);
        }
        // keep the first bytes for the dead letter, then read through the rest of the frame
        while (end - start < maxMessageBytes) {
            if (!fill()) {
                byte[] partial = Arrays.copyOfRange(buffer, start, end);
                start = end;
                return new SyslogFrame.Truncated(partial, length);
            }
        }
        byte[] prefix = Arrays.copyOfRange(buffer, start, start + maxMessageBytes);
        long remaining = length;
        while (remaining > 0) {
            if (start == end && !fill()) {
                return new SyslogFrame.Truncated(prefix, length);
            }
            int skipped = (int) Math.min(remaining, end - start);
            start += skipped;
            remaining -= skipped;
        }
        return new SyslogFrame.Oversize(prefix, length);
    }

    private SyslogFrame terminated() throws IOException {
        int scanned = start;
        while (true) {
            int trailer = indexOfTrailer(scanned);
            if (trailer >= 0) {
                int contentEnd = trailer;
                if (buffer[trailer] == '\n' && contentEnd > start && buffer[contentEnd - 1] == '\r') {
                    contentEnd--;
                }
                byte[] message = Arrays.copyOfRange(buffer, start, contentEnd);
                start = trailer + 1;
                if (message.length > maxMessageBytes) {
                    return new SyslogFrame.Oversize(Arrays.copyOf(message, maxMessageBytes), message.length);
                }
                return new SyslogFrame.Message(message);
            }
            scanned = end;
            if (end - start > maxMessageBytes) {
                return discardToTrailer();
            }
            int kept = end - start;
            if (!fill()) {
                // RFC 6587 §3.4.2 has no trailer at the end of the stream; a sender that closes after its
                // last message without one still meant it as a message
                byte[] message = Arrays.copyOfRange(buffer, start, end);
                start = end;
                return new SyslogFrame.Message(message);
            }
            // fill() may have moved the unread bytes to the front
            scanned = start + kept;
        }
    }

    private SyslogFrame discardToTrailer() throws IOException {
        byte[] prefix = Arrays.copyOfRange(buffer, start, start + maxMessageBytes);
        long length = 0;
        while (true) {
            int trailer = indexOfTrailer(start);
            if (trailer >= 0) {
                length += trailer - start;
                start = trailer + 1;
                return new SyslogFrame.Oversize(prefix, length);
            }
            length += end - start;
            start = end;
            if (!fill()) {
                return new SyslogFrame.Oversize(prefix, length);
            }
        }
    }

    private int indexOfTrailer(int from) {
        for (int i = from; i < end; i++) {
            byte b = buffer[i];
            if (b == '\n' || b == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Reads more bytes after the unread ones, compacting first; false at the end of the stream. */
    private boolean fill() throws IOException {
        if (endOfStream) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            // callers only ask for more while the unread bytes are shorter than the buffer
            throw new IllegalStateException("framer buffer is full");
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            endOfStream = true;
            return false;
        }
        end += read;
        bytesRead += read;
        return true;
    }

    private static boolean isTrailer(byte b) {
        return b == '\n' || b == '\r' || b == 0;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
