package io.vigil.formats.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;

/** Turns one Azure record (already split from its envelope) into rows or a dead letter. */
@FunctionalInterface
public interface AzureRecordMapper {
    void map(String source, ObjectNode record, ParseContext context, RecordSink sink);

    /** A dead letter holding the record's JSON text as its raw bytes. */
    static DeadLetter deadLetter(
            String source, String format, DeadLetterReason reason, String detail, JsonNode record) {
        return new DeadLetter(
                source, format, reason, detail, record.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
