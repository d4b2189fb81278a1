package io.vigil.app;

import io.vigil.app.workspace.Workspace;
import io.vigil.integrity.Finding;
import io.vigil.integrity.SigningKeys;
import io.vigil.integrity.Verifier;
import io.vigil.integrity.VerifyReport;
import io.vigil.metrics.Metrics;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Recompute a workspace's integrity chain from its stored rows and report every changed, deleted,"
                    + " inserted or reordered row or batch, altered chain entry and bad checkpoint"
                    + " (docs/integrity.md). Works offline, on a copy of the data folder.",
            "Exit code: 0 nothing found, 1 findings, 2 could not verify."
        })
final class VerifyCommand implements Callable<Integer> {
    static final int CLEAN = 0;
    static final int FINDINGS = 1;
    static final int CANNOT_VERIFY = 2;

    @Mixin
    DataOption data;

    @Option(
            names = "--public-key",
            paramLabel = "FILE",
            description = "Ed25519 public key (PEM) the checkpoints must be signed with."
                    + " Default: <data>/secrets/integrity-signing.pub")
    Path publicKey;

    @Option(
            names = "--max-findings",
            paramLabel = "N",
            defaultValue = "200",
            description = "Print at most N findings (all are counted). Default: ${DEFAULT-VALUE}")
    int maxFindings;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path database = data.dataDir.resolve(DuckDbStore.DATABASE_FILE);
        if (!Files.isRegularFile(database)) {
            err.println("vigil verify: no workspace database at " + database);
            return CANNOT_VERIFY;
        }
        Path keyFile = publicKey;
        if (keyFile == null) {
            keyFile = SigningKeys.publicKeyFile(data.dataDir);
        }
        PublicKey key;
        try {
            key = SigningKeys.readPublicKey(keyFile);
        } catch (IOException e) {
            err.println("vigil verify: cannot read the public key: " + e.getMessage());
            return CANNOT_VERIFY;
        }
        Workspace workspace = Workspace.open(data.dataDir);
        VerifyReport report;
        // the store is opened without the recorder: verifying must not chain what it is checking
        try (DuckDbStore store = DuckDbStore.open(
                data.dataDir,
                StoreOptions.builder().tenantId(workspace.workspaceId()).build(),
                Clock.systemUTC(),
                new Metrics())) {
            report = new Verifier(store, VigilRuntime.INTEGRITY_LAYOUT, data.dataDir, key).verify();
        }
        try {
            return print(report, out);
        } finally {
            out.flush();
        }
    }

    private int print(VerifyReport report, PrintWriter out) {
        int printed = 0;
        for (Finding finding : report.findings()) {
            if (printed++ >= maxFindings) {
                break;
            }
            out.println(finding);
        }
        out.println("verified " + report.entries() + " chain entries (" + report.batches() + " batches), "
                + report.rowsChecked() + " rows; " + report.rowsExpired() + " rows deleted by recorded retention;"
                + " signed through entry " + report.signedThrough());
        if (report.clean()) {
            out.println("no findings");
            return CLEAN;
        }
        out.println(report.findings().size() + " findings: " + report.countsByKind());
        return FINDINGS;
    }
}
