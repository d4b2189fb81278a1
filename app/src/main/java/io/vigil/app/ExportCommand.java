package io.vigil.app;

import io.vigil.app.workspace.Workspace;
import io.vigil.integrity.ProvenExport;
import io.vigil.integrity.SigningKeys;
import io.vigil.metrics.Metrics;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import io.vigil.store.DuckDbStore;
import io.vigil.store.StoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil export --with-proof} and {@code vigil verify-export} (docs/integrity.md). */
final class ExportCommand {
    private ExportCommand() {}

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description = "Write a table's rows of a time range as NDJSON with the proof (chain entries, row records,"
                    + " a signed checkpoint) that vigil verify-export checks with the public key alone."
                    + " Run it on a stopped workspace or a copy.")
    static final class Export implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Option(names = "--table", required = true, paramLabel = "TABLE", description = "The table to export")
        String table;

        @Option(names = "--from", required = true, paramLabel = "TIME", description = "First TimeGenerated (ISO-8601)")
        String from;

        @Option(names = "--to", required = true, paramLabel = "TIME", description = "End of the range, exclusive")
        String to;

        @Option(
                names = "--with-proof",
                required = true,
                paramLabel = "OUT",
                description = "Folder to write rows.ndjson and proof.json into (new or empty)")
        Path out;

        @Override
        public Integer call() throws Exception {
            Instant start = instant("--from", from);
            Instant end = instant("--to", to);
            if (!end.isAfter(start)) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, "--to must be after --from");
            }
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.list(out)) {
                    if (files.findAny().isPresent()) {
                        throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, out + " is not empty");
                    }
                }
            }
            Workspace workspace = Workspace.open(data.dataDir);
            // opened without the chain recorder, as vigil verify does: the export reads what is chained
            try (DuckDbStore store = DuckDbStore.open(
                    data.dataDir,
                    StoreOptions.builder().tenantId(workspace.workspaceId()).build(),
                    Clock.systemUTC(),
                    new Metrics())) {
                ProvenExport.Written written = ProvenExport.export(
                        store,
                        VigilRuntime.INTEGRITY_LAYOUT,
                        data.dataDir,
                        SigningKeys.readPublicKey(SigningKeys.publicKeyFile(data.dataDir)),
                        table,
                        start,
                        end,
                        out);
                System.out.println("exported " + written.rows() + " rows of " + written.batches() + " batches to " + out
                        + ", proven up to checkpoint " + written.checkpointSequence());
                return 0;
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, e.getMessage());
            }
        }

        private static Instant instant(String option, String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT, option + " takes an ISO-8601 instant: " + text);
            }
        }
    }

    @Command(
            name = "verify-export",
            mixinStandardHelpOptions = true,
            description = {
                "Check an export of vigil export --with-proof with the workspace's public key alone: every row as"
                        + " committed, none missing or added, the chain up to a valid signed checkpoint.",
                "Exit code: 0 the export holds, 1 problems found, 2 could not verify."
            })
    static final class VerifyExport implements Callable<Integer> {
        @Parameters(paramLabel = "OUT", description = "The export folder")
        Path folder;

        @Option(
                names = "--public-key",
                required = true,
                paramLabel = "FILE",
                description = "The workspace's Ed25519 public key (PEM)")
        Path publicKey;

        @Override
        public Integer call() {
            List<String> problems;
            try {
                problems = ProvenExport.verify(folder, SigningKeys.readPublicKey(publicKey));
            } catch (IOException | RuntimeException e) {
                System.err.println("vigil verify-export: cannot verify " + folder + ": " + e.getMessage());
                return 2;
            }
            for (String problem : problems) {
                System.out.println(problem);
            }
            if (problems.isEmpty()) {
                System.out.println("the export holds: every row is as committed and signed");
                return 0;
            }
            System.out.println(problems.size() + " problems");
            return 1;
        }
    }
}
