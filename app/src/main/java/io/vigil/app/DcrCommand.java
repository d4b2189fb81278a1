package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.app.audit.AuditTrail;
import io.vigil.app.ingestion.DataCollectionRule;
import io.vigil.app.ingestion.DataCollectionRules;
import io.vigil.app.ingestion.DcrTransform;
import io.vigil.app.workspace.Workspace;
import io.vigil.spi.AuditLog;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "dcr",
        mixinStandardHelpOptions = true,
        description = "Data collection rules for the Logs Ingestion API.",
        subcommands = {DcrCommand.Create.class, DcrCommand.ListRules.class})
final class DcrCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a data collection rule from Azure's DCR JSON and print its immutable id.")
    static final class Create implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Parameters(
                paramLabel = "FILE.json",
                description = "The rule: properties.streamDeclarations and properties.dataFlows")
        Path file;

        @Override
        public Integer call() throws Exception {
            JsonNode node;
            try {
                node = JSON.readTree(Files.readString(file, UTF_8));
            } catch (IOException e) {
                throw new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT, "cannot read " + file + ": " + e.getMessage());
            }
            if (!(node instanceof ObjectNode definition)) {
                throw new VigilException(StandardErrorCode.INVALID_ARGUMENT, file + " does not hold a JSON object");
            }
            DataCollectionRule rule;
            try {
                rule = DataCollectionRules.of(Workspace.open(data.dataDir)).create(definition);
            } catch (IllegalArgumentException e) {
                throw new VigilException(
                        StandardErrorCode.INVALID_ARGUMENT, "invalid data collection rule: " + e.getMessage());
            }
            AuditTrail.of(data.dataDir)
                    .record(
                            AuditLog.Actor.cli(),
                            "dcr.create",
                            rule.immutableId(),
                            Optional.empty(),
                            Optional.of(definition.toString()));
            System.out.println(rule.immutableId());
            for (DataCollectionRule.DataFlow flow : rule.dataFlows()) {
                System.out.println("  " + String.join(",", flow.streams()) + " -> " + flow.outputTable());
                if (!DcrTransform.isIdentity(flow.transformKql())) {
                    System.out.println("  transformKql: " + flow.transformKql());
                }
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the workspace's data collection rules.")
    static final class ListRules implements Callable<Integer> {
        @Mixin
        DataOption data;

        @Override
        public Integer call() throws Exception {
            for (DataCollectionRule rule :
                    DataCollectionRules.of(Workspace.open(data.dataDir)).list()) {
                System.out.println(rule.immutableId() + " " + rule.name());
                for (DataCollectionRule.DataFlow flow : rule.dataFlows()) {
                    System.out.println("  " + String.join(",", flow.streams()) + " -> " + flow.outputTable()
                            + " (transformKql: " + flow.transformKql() + ")");
                }
            }
            return 0;
        }
    }
}
