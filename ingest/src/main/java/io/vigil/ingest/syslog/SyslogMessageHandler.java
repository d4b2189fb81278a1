package io.vigil.ingest.syslog;

import static java.util.Objects.requireNonNull;

import io.vigil.formats.cef.CefFormat;
import io.vigil.formats.cef.LeefFormat;
import io.vigil.formats.syslog.SyslogRfc3164Format;
import io.vigil.formats.syslog.SyslogRfc5424Format;
import io.vigil.ingest.IngestStream;
import io.vigil.spi.DeadLetter;
import io.vigil.spi.DeadLetterReason;
import io.vigil.spi.ParseContext;
import io.vigil.spi.RecordSink;
import io.vigil.spi.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Routes each framed message to its format, parses it and hands the outcome to the listener's
 * {@link IngestStream}.
 * One per connection (or per UDP socket): it reuses its buffers and is not thread-safe.
 */
final class SyslogMessageHandler {
    private static final SyslogRfc3164Format RFC3164 = new SyslogRfc3164Format();
    private static final SyslogRfc5424Format RFC5424 = new SyslogRfc5424Format();
    private static final CefFormat CEF = new CefFormat();
    private static final LeefFormat LEEF = new LeefFormat();

    private final ParseContext context;
    private final IngestStream stream;
    private final Collected collected = new Collected();

    SyslogMessageHandler(ParseContext context, IngestStream stream) {
        this.context = requireNonNull(context, "context is null");
        this.stream = requireNonNull(stream, "stream is null");
    }

    /** Parses and queues one message; blocks while the store is behind (back-pressure). */
    void message(byte[] message, String peer) throws InterruptedException {
        SyslogRoute route = SyslogRouter.route(message);
        switch (route) {
            case RFC3164 -> RFC3164.parseMessage(message, peer, context, collected);
            case RFC5424 -> RFC5424.parseMessage(message, peer, context, collected);
            case CEF -> CEF.parseMessage(message, peer, context, collected);
            case LEEF -> LEEF.parseMessage(message, peer, context, collected);
        }
        flush(route);
    }

    /**
     * A message over the size limit: dead-lettered with its first bytes.
     *
     * @param length its full length, or -1 when unknown (a UDP datagram is cut at the receive buffer)
     */
    void oversize(byte[] prefix, long length, String peer) throws InterruptedException {
        SyslogRoute route = SyslogRouter.route(prefix);
        String size = "message of " + length + " bytes";
        if (length < 0) {
            size = "message";
        }
        collected.deadLetter(new DeadLetter(
                source(peer),
                route.format(),
                DeadLetterReason.OVERSIZE,
                size + " exceeds the limit of " + context.maxRecordBytes() + " bytes; the first " + prefix.length
                        + " bytes are kept",
                prefix));
        flush(route);
    }

    /** An octet-counted frame cut short by the end of the connection. */
    void truncated(byte[] bytes, long declaredLength, String peer) throws InterruptedException {
        SyslogRoute route = SyslogRouter.route(bytes);
        collected.deadLetter(new DeadLetter(
                source(peer),
                route.format(),
                DeadLetterReason.TRUNCATED,
                "connection closed after " + bytes.length + " of " + declaredLength + " announced bytes",
                bytes));
        flush(route);
    }

    private void flush(SyslogRoute route) throws InterruptedException {
        try {
            stream.add(collected.rows, collected.deadLetters, route.format());
        } finally {
            collected.rows.clear();
            collected.deadLetters.clear();
        }
    }

    // the formats name their dead letters' source this way too
    private static String source(String peer) {
        return "syslog:" + peer;
    }

    private static final class Collected implements RecordSink {
        private final List<Row> rows = new ArrayList<>(1);
        private final List<DeadLetter> deadLetters = new ArrayList<>(1);

        @Override
        public void row(Row row) {
            rows.add(row);
        }

        @Override
        public void deadLetter(DeadLetter deadLetter) {
            deadLetters.add(deadLetter);
        }
    }
}
