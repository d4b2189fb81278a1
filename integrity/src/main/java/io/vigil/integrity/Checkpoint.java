package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed statement "the chain of this workspace had this head": the entry sequence and hash, when, and
 * an Ed25519 signature over {@link #signedText}. One checkpoint per line of {@code integrity/checkpoints.jsonl}.
 */
record Checkpoint(String workspace, long sequence, String entryHash, Instant signedAt, String signature) {
    Checkpoint {
        requireNonNull(workspace, "workspace is null");
        requireNonNull(entryHash, "entryHash is null");
        requireNonNull(signedAt, "signedAt is null");
        requireNonNull(signature, "signature is null");
    }

    static byte[] signedText(String workspace, long sequence, String entryHash, Instant signedAt) {
        return String.join(
                        "\n", "vigil-checkpoint-v1", workspace, Long.toString(sequence), entryHash, signedAt.toString())
                .getBytes(StandardCharsets.UTF_8);
    }

    byte[] signedText() {
        return signedText(workspace, sequence, entryHash, signedAt);
    }
}
