package io.vigil.ingest.syslog;

import io.vigil.ingest.IngestInput;
import io.vigil.ingest.IngestPipeline;
import io.vigil.ingest.IngestStream;
import io.vigil.metrics.Metrics;
import io.vigil.spi.ParseContext;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Syslog over UDP (RFC 5426): each datagram is one message (§3.1). UDP has no flow control, so when the
 * store is behind, datagrams wait in the socket's receive buffer and the kernel drops what does not fit.
 */
final class SyslogUdpListener implements SyslogListener {
    private static final Logger LOG = Logger.getLogger(SyslogUdpListener.class.getName());
    // absorbs bursts while a batch is being written; the kernel caps it at net.core.rmem_max
    private static final int RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;

    private final SyslogListenerConfig config;
    private final DatagramSocket socket;
    private final IngestStream stream;
    private final SyslogMessageHandler handler;
    private final LongAdder bytesReceived;
    private final SenderCheck senders;
    private final Thread receiver;
    private volatile boolean closing;

    SyslogUdpListener(SyslogListenerConfig config, ParseContext context, IngestPipeline pipeline, Metrics metrics)
            throws IOException {
        this.config = config;
        this.socket = new DatagramSocket(null);
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
            socket.bind(new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        String input = config.transport().input();
        this.bytesReceived = pipeline.bytesReceived(IngestInput.of(input));
        this.senders = new SenderCheck(input, config.senders(), metrics);
        this.stream = pipeline.openStream(IngestInput.of(input), config.maxBatchMessages(), config.batchLinger());
        this.handler = new SyslogMessageHandler(context, stream);
        this.receiver = Thread.ofPlatform().name("vigil-" + input).daemon(true).start(this::run);
    }

    @Override
    public SenderFilter senders() {
        return config.senders();
    }

    @Override
    public SyslogTransport transport() {
        return config.transport();
    }

    @Override
    public int port() {
        return socket.getLocalPort();
    }

    private void run() {
        // one byte more than the limit tells a datagram over the limit from one exactly at it
        byte[] buffer = new byte[config.maxMessageBytes() + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (true) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                if (!senders.allows(packet.getAddress())) {
                    continue;
                }
                int length = packet.getLength();
                bytesReceived.add(length);
                if (length == 0) {
                    continue;
                }
                String peer = packet.getAddress().getHostAddress();
                byte[] message = Arrays.copyOf(buffer, length);
                if (length > config.maxMessageBytes()) {
                    handler.oversize(Arrays.copyOf(message, config.maxMessageBytes()), -1, peer);
                } else {
                    handler.message(message, peer);
                }
            } catch (SocketTimeoutException e) {
                // drained on shutdown: nothing more waited in the receive buffer
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.log(Level.SEVERE, config.transport().input() + ": receive failed, listener stopped", e);
                }
                return;
            } catch (VigilException e) {
                if (e.errorCode() != StandardErrorCode.INGEST_CLOSED) {
                    LOG.log(Level.SEVERE, config.transport().input() + ": listener stopped", e);
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        // datagrams already in the receive buffer are read until it stays empty for a moment (bounded)
        try {
            socket.setSoTimeout(100);
        } catch (IOException e) {
            // closed already
        }
        receiver.join(1_000);
        socket.close();
        receiver.join(5_000);
        stream.close();
    }
}
