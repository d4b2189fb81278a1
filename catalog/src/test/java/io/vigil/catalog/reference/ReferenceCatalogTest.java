package io.vigil.catalog.reference;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The generated catalog resource is exactly what the reference snapshot kept in the repository gives, covers the
 * tables Sentinel content needs, and every type it names is a column type; where the hand-checked core schemas
 * differ from the reference, the differences are listed (the core wins).
 */
class ReferenceCatalogTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/azure-monitor-reference/tables");
    private static final String RESOURCE = "/io/vigil/catalog/reference/tables.tsv";

    @Test
    void generatedResourceIsWhatTheSnapshotGives() throws Exception {
        String expected = AzureMonitorTableReference.toTsv(AzureMonitorTableReference.read(SNAPSHOT));
        assertThat(resource())
                .as("%s is stale: run scripts/generate-catalog and review the diff", RESOURCE)
                .isEqualTo(expected);
    }

    @Test
    void everyReferenceTableIsThereWithKnownTypes() throws Exception {
        AzureMonitorTableReference.Reference reference = AzureMonitorTableReference.read(SNAPSHOT);
        assertThat(reference.tables()).hasSizeGreaterThan(600);
        assertThat(reference.tables())
                .extracting(AzureMonitorTableReference.Table::name)
                .contains(
                        "AZFWIdpsSignature",
                        "AZFWApplicationRule",
                        "AZFWNetworkRule",
                        "AZFWDnsQuery",
                        "AZFWThreatIntel",
                        "ADFSSignInLogs",
                        "IdentityInfo",
                        "BehaviorAnalytics",
                        "CoreAzureBackup");
        AzureMonitorTableReference.Table idps = reference.tables().stream()
                .filter(table -> table.name().equals("AZFWIdpsSignature"))
                .findFirst()
                .orElseThrow();
        assertThat(idps.columns())
                .contains(new AzureMonitorTableReference.Column(
                        "SignatureId", "string", "ID of the matched IDPS signature."));
        for (AzureMonitorTableReference.Table table : reference.tables()) {
            for (AzureMonitorTableReference.Column column : table.columns()) {
                ColumnType.fromReferenceName(column.type());
            }
        }
    }

    @Test
    void differencesOfTheHandCheckedCoreAreListed() throws Exception {
        Map<String, AzureMonitorTableReference.Table> reference = new TreeMap<>();
        for (AzureMonitorTableReference.Table table :
                AzureMonitorTableReference.read(SNAPSHOT).tables()) {
            reference.put(table.name(), table);
        }
        List<String> differences = new ArrayList<>();
        TableCatalog core = TableCatalog.builtIn();
        for (String name : TableCatalog.BUILT_IN_TABLES) {
            AzureMonitorTableReference.Table documented = reference.get(name);
            if (documented == null) {
                differences.add(name + ": not in the reference snapshot");
                continue;
            }
            TableSchema checked = core.require(name);
            for (AzureMonitorTableReference.Column column : documented.columns()) {
                int index = checked.indexOf(column.name());
                if (index < 0) {
                    differences.add(name + "." + column.name() + ": only in the reference");
                } else if (checked.columns().get(index).type() != ColumnType.fromReferenceName(column.type())) {
                    differences.add(name + "." + column.name() + ": core "
                            + checked.columns().get(index).type() + ", reference " + column.type());
                }
            }
        }
        differences.forEach(difference -> System.out.println("core vs reference: " + difference));
        // both come from the same commit of the reference. SecurityAlert's page was deleted (the core kept its
        // include) and AzureNetworkAnalytics_CL comes from the traffic analytics schema; the core's OfficeActivity
        // lacks one column the reference lists (a gap of the hand copy, kept here until the core is checked again)
        assertThat(differences)
                .containsExactlyInAnyOrder(
                        "SecurityAlert: not in the reference snapshot",
                        "AzureNetworkAnalytics_CL: not in the reference snapshot",
                        "OfficeActivity.AppPoolName: only in the reference");
    }

    private static String resource() throws Exception {
        try (InputStream in = ReferenceCatalogTest.class.getResourceAsStream(RESOURCE)) {
            assertThat(in).as("resource %s", RESOURCE).isNotNull();
            return new String(in.readAllBytes(), UTF_8);
        }
    }
}
