package io.vigil.formats.common;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.RecordSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits Azure Monitor exports into records: the {@code {"records":[…]}} envelope of Event Hubs and
 * of storage {@code PT1H.json} blobs before late 2018, one record per line (blobs since then), the REST
 * {@code {"value":[…]}} page, a JSON array, or a single record. Records are read one by one, so a
 * truncated envelope still yields the records before the cut; invalid JSON is first given to {@link
 * AzureJsonRepair}; what still fails is dead-lettered with its raw bytes.
 */
public final class AzureRecords {
    private AzureRecords() {}

    /** Where strict reading stopped: the records before it, and the failure. */
    private record Split(List<JsonNode> records, DeadLetterReason reason, String detail, int failedAt) {
        boolean failed() {
            return reason != null;
        }
    }

    /** Calls {@code consumer} with each record; records that are not JSON objects are dead-lettered. */
    public static void forEach(
            String source, String format, byte[] input, RecordSink sink, Consumer<ObjectNode> consumer) {
        if (JsonRecords.firstNonWhitespace(input, 0) < 0) {
            sink.deadLetter(new DeadLetter(source, format, DeadLetterReason.EMPTY, "input is empty", input));
            return;
        }
        Split strict = split(input);
        if (!strict.failed()) {
            deliver(source, format, strict.records(), sink, consumer);
            return;
        }
        if (strict.reason() != DeadLetterReason.INVALID_UTF8 && isValidUtf8(input)) {
            AzureJsonRepair.Result repaired = AzureJsonRepair.repair(new String(input, UTF_8));
            if (repaired.changed()) {
                Split second = split(repaired.text().getBytes(UTF_8));
                if (!second.failed()) {
                    repaired.repairs().forEach(sink::repaired);
                    deliver(source, format, second.records(), sink, consumer);
                    return;
                }
            }
        }
        List<byte[]> lines = lines(input);
        if (lines.size() > 1 && anyLineParses(lines)) {
            // one record per line: a bad line never takes its neighbours with it
            for (byte[] line : lines) {
                forEachInLine(source, format, line, sink, consumer);
            }
            return;
        }
        deliver(source, format, strict.records(), sink, consumer);
        sink.deadLetter(new DeadLetter(
                source,
                format,
                strict.reason(),
                strict.detail(),
                Arrays.copyOfRange(input, Math.min(strict.failedAt(), input.length), input.length)));
    }

    /** Whether some line is a complete value on its own: then the input is one record per line. */
    private static boolean anyLineParses(List<byte[]> lines) {
        for (byte[] line : lines) {
            if (!split(line).failed()) {
                return true;
            }
        }
        return false;
    }

    private static void forEachInLine(
            String source, String format, byte[] line, RecordSink sink, Consumer<ObjectNode> consumer) {
        Split strict = split(line);
        if (!strict.failed()) {
            deliver(source, format, strict.records(), sink, consumer);
            return;
        }
        if (isValidUtf8(line)) {
            AzureJsonRepair.Result repaired = AzureJsonRepair.repair(new String(line, UTF_8));
            if (repaired.changed()) {
                Split second = split(repaired.text().getBytes(UTF_8));
                if (!second.failed()) {
                    repaired.repairs().forEach(sink::repaired);
                    deliver(source, format, second.records(), sink, consumer);
                    return;
                }
            }
        }
        deliver(source, format, strict.records(), sink, consumer);
        sink.deadLetter(new DeadLetter(source, format, strict.reason(), strict.detail(), line));
    }

    private static void deliver(
            String source, String format, List<JsonNode> records, RecordSink sink, Consumer<ObjectNode> consumer) {
        for (JsonNode record : records) {
            if (record instanceof ObjectNode object) {
                consumer.accept(object);
            } else {
                sink.deadLetter(new DeadLetter(
                        source,
                        format,
                        DeadLetterReason.UNKNOWN_RECORD_SHAPE,
                        "record is not a JSON object",
                        record.toString().getBytes(UTF_8)));
            }
        }
    }

    /** Reads every root value of {@code input}, unwrapping envelopes, until the end or the first error. */
    private static Split split(byte[] input) {
        List<JsonNode> records = new ArrayList<>();
        // where the value being read started: the dead letter keeps the bytes from there on
        int[] valueStart = {0};
        try (JsonParser parser = JsonRecords.MAPPER.createParser(input)) {
            JsonToken token;
            while (true) {
                token = parser.nextToken();
                if (token == null) {
                    break;
                }
                valueStart[0] = (int) parser.currentTokenLocation().getByteOffset();
                if (token == JsonToken.START_OBJECT) {
                    readObject(parser, records, valueStart);
                } else if (token == JsonToken.START_ARRAY) {
                    readArray(parser, records, valueStart);
                } else {
                    records.add(JsonRecords.MAPPER.readTree(parser));
                }
            }
            return new Split(records, null, "", input.length);
        } catch (IOException | RuntimeException e) {
            return new Split(
                    records, JsonRecords.failureReason(e), JsonRecords.failureMessage(e), Math.max(0, valueStart[0]));
        }
    }

    /** An object at the root: an envelope ({@code records} or {@code value} array) or one record. */
    private static void readObject(JsonParser parser, List<JsonNode> records, int[] failedAt) throws IOException {
        ObjectNode envelope = JsonRecords.MAPPER.createObjectNode();
        boolean isEnvelope = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == null) {
                throw new IOException("Unexpected end-of-input in an object");
            }
            if (value == JsonToken.START_ARRAY && (name.equals("records") || name.equals("value"))) {
                isEnvelope = true;
                // records are handed out as they complete, so a cut envelope keeps its first records
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    if (parser.currentToken() == null) {
                        throw new IOException("Unexpected end-of-input in the records array");
                    }
                    failedAt[0] = (int) parser.currentTokenLocation().getByteOffset();
                    records.add(JsonRecords.MAPPER.readTree(parser));
                }
                failedAt[0] = offset(parser);
            } else {
                envelope.set(name, JsonRecords.MAPPER.readTree(parser));
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT) {
            throw new IOException("Unexpected end-of-input in an object");
        }
        if (!isEnvelope) {
            records.add(envelope);
        }
    }

    private static void readArray(JsonParser parser, List<JsonNode> records, int[] failedAt) throws IOException {
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == null) {
                throw new IOException("Unexpected end-of-input in an array");
            }
            failedAt[0] = (int) parser.currentTokenLocation().getByteOffset();
            JsonNode element = JsonRecords.MAPPER.readTree(parser);
            JsonNode nested = element.get("records");
            if (nested != null && nested.isArray()) {
                nested.forEach(records::add);
            } else {
                records.add(element);
            }
        }
    }

    private static int offset(JsonParser parser) {
        return (int) parser.currentLocation().getByteOffset();
    }

    private static List<byte[]> lines(byte[] input) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        while (start < input.length) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            byte[] line = Arrays.copyOfRange(input, start, end);
            if (JsonRecords.firstNonWhitespace(line, 0) >= 0) {
                lines.add(line);
            }
            start = end + 1;
        }
        return lines;
    }

    static boolean isValidUtf8(byte[] input) {
        try {
            UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(input));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
