package io.vigil.integrity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.spi.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint log, {@code integrity/checkpoints.jsonl} in the data folder: outside the database, appended
 * and synced, one JSON object per line ({@code workspace}, {@code sequence}, {@code entryHash},
 * {@code signedAt}, {@code signature} in base64).
 */
final class Checkpoints {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    /** A line of the log: a checkpoint, or why the line is not one. */
    record Line(int number, Checkpoint checkpoint, String problem) {}

    private Checkpoints() {}

    static Path file(Path dataDir) {
        return dataDir.resolve("integrity").resolve("checkpoints.jsonl");
    }

    static Checkpoint sign(PrivateKey key, String workspace, long sequence, String entryHash, Instant signedAt) {
        try {
            Signature signer = Signature.getInstance(SigningKeys.ALGORITHM);
            signer.initSign(key);
            signer.update(Checkpoint.signedText(workspace, sequence, entryHash, signedAt));
            return new Checkpoint(
                    workspace,
                    sequence,
                    entryHash,
                    signedAt,
                    Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's Ed25519 provider refused to sign", e);
        }
    }

    static boolean signatureHolds(PublicKey key, Checkpoint checkpoint) {
        try {
            Signature verifier = Signature.getInstance(SigningKeys.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(checkpoint.signedText());
            return verifier.verify(Base64.getDecoder().decode(checkpoint.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static void append(Path dataDir, Checkpoint checkpoint) throws IOException {
        Path file = file(dataDir);
        // private from creation, like everything Vigil writes in the data folder (docs/security.md)
        if (!Files.isDirectory(file.getParent())) {
            Files.createDirectories(
                    file.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.exists(file)) {
            try {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (FileAlreadyExistsException raced) {
                // another closing recorder made it first
            }
        }
        String line = "{\"workspace\":" + Json.quote(checkpoint.workspace()) + ",\"sequence\":" + checkpoint.sequence()
                + ",\"entryHash\":" + Json.quote(checkpoint.entryHash()) + ",\"signedAt\":"
                + Json.quote(checkpoint.signedAt().toString()) + ",\"signature\":" + Json.quote(checkpoint.signature())
                + "}\n";
        try (FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
    }

    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        int number = 0;
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (text.isBlank()) {
                continue;
            }
            try {
                lines.add(new Line(number, parse(text), ""));
            } catch (IOException | RuntimeException e) {
                lines.add(new Line(number, null, "not a checkpoint: " + e.getMessage()));
            }
        }
        return lines;
    }

    private static Checkpoint parse(String text) throws IOException {
        Map<String, String> fields = new TreeMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                fields.put(name, parser.getText());
            }
        }
        for (String required : List.of("workspace", "sequence", "entryHash", "signedAt", "signature")) {
            if (!fields.containsKey(required)) {
                throw new IOException("no " + required);
            }
        }
        return new Checkpoint(
                fields.get("workspace"),
                Long.parseLong(fields.get("sequence")),
                fields.get("entryHash"),
                Instant.parse(fields.get("signedAt")),
                fields.get("signature"));
    }
}
