package io.vigil.formats.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.RecordSink;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits JSON input into top-level records: a JSON array of records, one record per line (NDJSON, as
 * Azure writes PT1H.json blobs since late 2018), or a single object. Lines that fail to parse are
 * dead-lettered one by one, so one bad record never loses its neighbours.
 */
public final class JsonRecords {
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .build();

    private JsonRecords() {}

    /** Calls {@code consumer} for each top-level record; unparseable parts go to {@code sink}. */
    public static void forEach(
            String source, String format, byte[] input, RecordSink sink, Consumer<JsonNode> consumer) {
        int start = firstNonWhitespace(input, 0);
        if (start < 0) {
            sink.deadLetter(new DeadLetter(source, format, DeadLetterReason.EMPTY, "input is empty", input));
            return;
        }
        if (input[start] == '[') {
            forEachInArray(source, format, input, sink, consumer);
            return;
        }
        forEachLine(source, format, input, sink, consumer);
    }

    /** Parses one JSON value, or returns null after dead-lettering it. */
    public static JsonNode parse(String source, String format, byte[] input, RecordSink sink) {
        try {
            JsonNode node = MAPPER.readTree(input);
            if (node == null || node.isMissingNode()) {
                sink.deadLetter(new DeadLetter(source, format, DeadLetterReason.EMPTY, "input is empty", input));
                return null;
            }
            return node;
        } catch (IOException e) {
            sink.deadLetter(new DeadLetter(source, format, failureReason(e), failureMessage(e), input));
            return null;
        }
    }

    private static void forEachInArray(
            String source, String format, byte[] input, RecordSink sink, Consumer<JsonNode> consumer) {
        try (JsonParser parser = MAPPER.createParser(input)) {
            parser.nextToken(); // START_ARRAY
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new IOException("unexpected end of input inside the top-level array");
                }
                consumer.accept(MAPPER.readTree(parser));
            }
            if (parser.nextToken() != null) {
                sink.deadLetter(new DeadLetter(
                        source,
                        format,
                        DeadLetterReason.INVALID_JSON,
                        "content after the top-level array",
                        tail(input, (int) parser.currentLocation().getByteOffset())));
            }
        } catch (IOException e) {
            // records before the error were delivered; keep the whole input as the raw evidence
            sink.deadLetter(new DeadLetter(source, format, failureReason(e), failureMessage(e), input));
        }
    }

    private static void forEachLine(
            String source, String format, byte[] input, RecordSink sink, Consumer<JsonNode> consumer) {
        // a single pretty-printed object spans lines: try the whole input first when it is one value
        if (!looksLikeOneRecordPerLine(input)) {
            JsonNode node = parse(source, format, input, sink);
            if (node != null) {
                consumer.accept(node);
            }
            return;
        }
        int lineStart = 0;
        while (lineStart < input.length) {
            int lineEnd = lineStart;
            while (lineEnd < input.length && input[lineEnd] != '\n') {
                lineEnd++;
            }
            byte[] line = Arrays.copyOfRange(input, lineStart, lineEnd);
            if (firstNonWhitespace(line, 0) >= 0) {
                JsonNode node = parse(source, format, line, sink);
                if (node != null) {
                    consumer.accept(node);
                }
            }
            lineStart = lineEnd + 1;
        }
    }

    /** True when the first line alone is a complete JSON value (NDJSON), false for one multi-line value. */
    private static boolean looksLikeOneRecordPerLine(byte[] input) {
        int end = 0;
        while (end < input.length && input[end] != '\n') {
            end++;
        }
        if (end >= input.length) {
            return false;
        }
        try (JsonParser parser = MAPPER.createParser(input, 0, end)) {
            parser.skipChildren();
            JsonToken first = parser.nextToken();
            if (first == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    /** The dead-letter reason for a JSON parse failure: truncated input, bad UTF-8, or invalid JSON. */
    public static DeadLetterReason failureReason(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("end-of-input") || message.contains("Unexpected end")) {
            return DeadLetterReason.TRUNCATED;
        }
        if (message.contains("UTF-8") || message.contains("UTF8")) {
            return DeadLetterReason.INVALID_UTF8;
        }
        return DeadLetterReason.INVALID_JSON;
    }

    /** The parser's message, first line only, with the line and column where it failed. */
    public static String failureMessage(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        if (newline > 0) {
            message = message.substring(0, newline);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                && processing.getLocation() != null) {
            message = message + " at line " + processing.getLocation().getLineNr() + ", column "
                    + processing.getLocation().getColumnNr();
        }
        return message;
    }

    private static byte[] tail(byte[] input, int offset) {
        return Arrays.copyOfRange(input, Math.max(0, Math.min(offset, input.length)), input.length);
    }

    public static int firstNonWhitespace(byte[] input, int from) {
        for (int i = from; i < input.length; i++) {
            byte b = input[i];
            // a UTF-8 byte order mark is whitespace here
            if (b == (byte) 0xEF
                    && i + 2 < input.length
                    && input[i + 1] == (byte) 0xBB
                    && input[i + 2] == (byte) 0xBF) {
                i += 2;
                continue;
            }
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
