package io.vigil.integrity;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.metrics.Metrics;
import io.vigil.spi.Dynamic;
import io.vigil.spi.Row;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import io.vigil.testing.TestingClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export with proofs verifies with the public key alone, and every change to it is caught: a changed value,
 * a dropped row, an added row, a row moved to another sequence, an altered chain entry or row records, an
 * edited checkpoint, and a foreign key.
 */
class ProvenExportTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    @TempDir
    Path exports;

    private final TestingClock clock = new TestingClock(NOW);
    private Path out;
    private PublicKey key;

    @BeforeEach
    void writeAndExport() throws Exception {
        try (DuckDbStore store = open();
                IntegrityRecorder recorder = IntegrityRecorder.start(store, TamperTest.LAYOUT, clock, Duration.ZERO)) {
            write(store, List.of(signIn(store, "early@contoso.com", NOW.minusSeconds(7200))));
            write(
                    store,
                    List.of(
                            signIn(store, "alice@contoso.com", NOW.minusSeconds(120)),
                            signIn(store, "bob@contoso.com", NOW.minusSeconds(90)),
                            signIn(store, "late@contoso.com", NOW.plusSeconds(3600))));
            write(store, List.of(signIn(store, "carol@contoso.com", NOW.minusSeconds(60))));
            assertThat(recorder.awaitCaughtUp(Duration.ofSeconds(60))).isTrue();
        }
        key = SigningKeys.readPublicKey(SigningKeys.publicKeyFile(dataDir));
        out = exports.resolve("out");
        try (DuckDbStore store = open()) {
            ProvenExport.Written written = ProvenExport.export(
                    store, TamperTest.LAYOUT, dataDir, key, "SigninLogs", NOW.minusSeconds(600), NOW, out);
            assertThat(written.rows()).isEqualTo(3);
            assertThat(written.batches()).isEqualTo(2);
        }
    }

    @Test
    void anUntouchedExportHoldsAndHoldsOnlyTheRange() throws Exception {
        assertThat(ProvenExport.verify(out, key)).isEmpty();
        assertThat(lines()).hasSize(3).allMatch(line -> !line.contains("early@") && !line.contains("late@"));
        assertThat(lines().get(0)).contains("\"DeviceDetail\":\"{\\\"os\\\": \\\"Windows\\\"}\"");
    }

    @Test
    void aChangedValueIsCaught() throws Exception {
        rewriteRows(lines -> lines.set(1, lines.get(1).replace("bob@contoso.com", "mallory@contoso.com")));
        assertThat(ProvenExport.verify(out, key)).singleElement().asString().contains("differs from the row committed");
    }

    @Test
    void aDroppedRowIsCaught() throws Exception {
        rewriteRows(lines -> lines.remove(2));
        assertThat(ProvenExport.verify(out, key)).singleElement().asString().contains("missing from the export");
    }

    @Test
    void anAddedOrDuplicatedRowIsCaught() throws Exception {
        rewriteRows(lines -> lines.add(lines.get(0)));
        assertThat(ProvenExport.verify(out, key)).singleElement().asString().contains("not a row of the range");
    }

    @Test
    void aMovedRowIsCaught() throws Exception {
        // bob's row claims alice's sequence number
        rewriteRows(lines -> {
            String aliceSeq = lines.get(0).replaceAll(".*\"seq\":(\\d+).*", "$1");
            String bobSeq = lines.get(1).replaceAll(".*\"seq\":(\\d+).*", "$1");
            lines.set(0, lines.get(0).replace("\"seq\":" + aliceSeq, "\"seq\":" + bobSeq));
            lines.set(1, lines.get(1).replace("\"seq\":" + bobSeq, "\"seq\":" + aliceSeq));
        });
        assertThat(ProvenExport.verify(out, key)).hasSize(2).allMatch(problem -> problem.contains("differs"));
    }

    @Test
    void anAlteredProofIsCaught() throws Exception {
        String proof = Files.readString(out.resolve(ProvenExport.PROOF_FILE), UTF_8);
        // a chain entry's field
        Files.writeString(
                out.resolve(ProvenExport.PROOF_FILE), proof.replaceFirst("\"rowCount\" : 3", "\"rowCount\" : 2"));
        assertThat(ProvenExport.verify(out, key)).isNotEmpty();
        // the checkpoint
        Files.writeString(
                out.resolve(ProvenExport.PROOF_FILE), proof.replaceFirst("\"signedAt\" : \"2", "\"signedAt\" : \"1"));
        assertThat(ProvenExport.verify(out, key)).anyMatch(problem -> problem.contains("signature"));
        // row records swapped for an empty block
        Files.writeString(
                out.resolve(ProvenExport.PROOF_FILE),
                proof.replaceFirst("\"rowRecords\" : \"[^\"]*\"", "\"rowRecords\" : \"\""));
        assertThat(ProvenExport.verify(out, key)).anyMatch(problem -> problem.contains("row records"));
    }

    @Test
    void aForeignKeyDoesNotVerify() throws Exception {
        PublicKey foreign =
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic();
        assertThat(ProvenExport.verify(out, foreign)).anyMatch(problem -> problem.contains("signature"));
    }

    @Test
    void anUnknownTableIsRefused() {
        assertThatThrownBy(() -> {
                    try (DuckDbStore store = open()) {
                        ProvenExport.export(
                                store, TamperTest.LAYOUT, dataDir, key, "NoSuchTable", NOW, NOW, exports.resolve("x"));
                    }
                })
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoSuchTable");
    }

    private interface Edit {
        void apply(List<String> lines);
    }

    private List<String> lines() throws Exception {
        return new ArrayList<>(Files.readAllLines(out.resolve(ProvenExport.ROWS_FILE), UTF_8));
    }

    private void rewriteRows(Edit edit) throws Exception {
        List<String> lines = lines();
        edit.apply(lines);
        Files.write(out.resolve(ProvenExport.ROWS_FILE), lines, UTF_8);
    }

    private DuckDbStore open() {
        return DuckDbStore.open(dataDir, StoreOptions.builder().tenantId("ws-1").build(), clock, new Metrics());
    }

    private static void write(DuckDbStore store, List<Row> rows) throws Exception {
        store.write(rows).get(30, TimeUnit.SECONDS);
    }

    private static Row signIn(DuckDbStore store, String user, Instant time) {
        return store.catalog()
                .require("SigninLogs")
                .newRow()
                .set("TimeGenerated", time)
                .set("UserPrincipalName", user)
                .set("DeviceDetail", new Dynamic("{\"os\": \"Windows\"}"))
                .build();
    }
}
