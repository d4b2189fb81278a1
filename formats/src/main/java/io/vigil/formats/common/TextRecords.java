package io.vigil.formats.common;

import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.RecordSink;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Line-oriented framing for text formats (syslog files, CEF, LEEF, Storage Analytics): splits on LF
 * (dropping a CR before it), skips blank lines, and dead-letters a line that is longer than the
 * record limit or not UTF-8, so one bad line never loses its neighbours.
 */
public final class TextRecords {
    private TextRecords() {}

    /** One line of input: its text (without the line end) and its raw bytes. */
    public record Line(String text, byte[] raw) {}

    /**
     * Calls {@code consumer} for every non-blank line. Lines over {@code maxRecordBytes} are dead-lettered
     * as {@code oversize}, lines that are not UTF-8 as {@code invalid_utf8}.
     */
    public static void forEachLine(
            String source, String format, byte[] input, int maxRecordBytes, RecordSink sink, Consumer<Line> consumer) {
        int start = 0;
        int length = input.length;
        // a UTF-8 byte order mark at the start of a file is not part of the first line
        if (length >= 3 && input[0] == (byte) 0xEF && input[1] == (byte) 0xBB && input[2] == (byte) 0xBF) {
            start = 3;
        }
        while (start < length) {
            int end = start;
            while (end < length && input[end] != '\n') {
                end++;
            }
            int contentEnd = end;
            if (contentEnd > start && input[contentEnd - 1] == '\r') {
                contentEnd--;
            }
            if (!isBlank(input, start, contentEnd)) {
                byte[] raw = Arrays.copyOfRange(input, start, contentEnd);
                String text = decode(source, format, raw, maxRecordBytes, sink);
                if (text != null) {
                    consumer.accept(new Line(text, raw));
                }
            }
            start = end + 1;
        }
    }

    /**
     * The UTF-8 text of one record, or null after dead-lettering it (too long or not UTF-8). Listeners
     * that receive single messages use this too.
     */
    public static String decode(String source, String format, byte[] raw, int maxRecordBytes, RecordSink sink) {
        if (raw.length > maxRecordBytes) {
            sink.deadLetter(new DeadLetter(
                    source,
                    format,
                    DeadLetterReason.OVERSIZE,
                    "record of " + raw.length + " bytes exceeds the limit of " + maxRecordBytes,
                    raw));
            return null;
        }
        // the lenient JDK decoder is fast and turns malformed input into U+FFFD; only text holding U+FFFD
        // (malformed, or a rare genuine replacement character) needs the strict decoder to tell which
        String lenient = new String(raw, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) {
            return lenient;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            sink.deadLetter(new DeadLetter(source, format, DeadLetterReason.INVALID_UTF8, "record is not UTF-8", raw));
            return null;
        }
    }

    /** The first {@code maxLines} lines of a detection head, decoded leniently (the head may be cut anywhere). */
    public static String[] headLines(byte[] head, int maxLines) {
        String text = new String(head, StandardCharsets.UTF_8);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", maxLines + 1);
        if (lines.length > maxLines) {
            return Arrays.copyOf(lines, maxLines);
        }
        return lines;
    }

    private static boolean isBlank(byte[] input, int start, int end) {
        for (int i = start; i < end; i++) {
            byte b = input[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
