package io.vigil.integrity;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * One link of a workspace's hash chain, in commit order: a committed batch (with the digest of its row
 * records) or a retention deletion (with the cutoff it deleted below). Its hash covers the previous
 * entry's hash and every field, in the text form {@link #canonicalText} (docs/integrity.md, "Chain").
 *
 * @param sequence 1 for the first entry of the workspace, then one more per entry
 * @param kind what it records
 * @param workspace the workspace id ("" when the store has none)
 * @param table the table of the batch or of the deletion
 * @param batchId the batch's id; 0 for a retention entry
 * @param rowCount rows the batch was committed with; rows deleted for a retention entry
 * @param rowsHashed rows the chain covers: fewer than rowCount when retention deleted some before they
 *     were hashed; 0 for a retention entry
 * @param firstMicros the batch's earliest TimeGenerated, or the retention cutoff (epoch microseconds)
 * @param lastMicros the batch's latest TimeGenerated, or the retention cutoff
 * @param recordedMicros when the batch was committed, or when retention ran
 * @param digest SHA-256 (hex) of the batch's row records block; "" for a retention entry
 * @param previousHash the previous entry's hash (hex); 64 zeros before the first
 */
record ChainEntry(
        long sequence,
        Kind kind,
        String workspace,
        String table,
        long batchId,
        long rowCount,
        long rowsHashed,
        long firstMicros,
        long lastMicros,
        long recordedMicros,
        String digest,
        String previousHash) {
    static final String GENESIS = "0".repeat(64);

    enum Kind {
        BATCH("batch"),
        RETENTION("retention");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }

        static Kind of(String word) {
            for (Kind kind : values()) {
                if (kind.word.equals(word)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown chain entry kind " + word);
        }
    }

    ChainEntry {
        requireNonNull(kind, "kind is null");
        requireNonNull(workspace, "workspace is null");
        requireNonNull(table, "table is null");
        requireNonNull(digest, "digest is null");
        requireNonNull(previousHash, "previousHash is null");
    }

    /** The text the entry hash is taken over: one field per line, in declaration order. */
    String canonicalText() {
        return String.join(
                "\n",
                "vigil-chain-v1",
                Long.toString(sequence),
                kind.word(),
                workspace,
                table,
                Long.toString(batchId),
                Long.toString(rowCount),
                Long.toString(rowsHashed),
                Long.toString(firstMicros),
                Long.toString(lastMicros),
                Long.toString(recordedMicros),
                digest,
                previousHash);
    }

    String hash() {
        return Digests.hex(Digests.sha256(canonicalText().getBytes(StandardCharsets.UTF_8)));
    }
}
