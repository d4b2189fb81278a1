package io.vigil.app.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.detect.SentinelRuleFiles;
import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.kql.syntax.ParseResult;
import io.vigil.store.DuckDbStore;
import io.vigil.testing.SharedCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sentinel rules and hunting queries of the shared corpus through parse, bind and a run against an
 * empty store. Every query parses; the ones that do not bind are exactly {@link #EXPECTED_FAILURES}, each
 * with its first error code, so a query that starts failing, or fails for another reason, breaks the test,
 * and so does one that starts to run (remove it here, in docs/querying.md's "Sentinel corpus: what does not run and
 * why" and in kql/KNOWN_GAPS.md, "Corpus exceptions"). Every query that binds also runs.
 */
class SentinelCorpusQueryTest {
    /** The corpus files (relative to the corpus) whose query does not bind, and the code of its first error. */
    static final Map<String, String> EXPECTED_FAILURES = Map.ofEntries(
            // externaldata reads a URL; Vigil opens no outbound connections
            Map.entry("Detections/AuditLogs/MaliciousOAuthApp_O365AttackToolkit.yaml", "KQL253"),
            Map.entry("Detections/AuditLogs/MaliciousOAuthApp_PwnAuth.yaml", "KQL253"),
            Map.entry("Detections/AuditLogs/SuspiciousOAuthApp_OfflineAccess.yaml", "KQL253"),
            Map.entry("Detections/CommonSecurityLog/MultiVendor-PossibleDGAContacts.yaml", "KQL253"),
            Map.entry("Detections/ThreatIntelligenceIndicator/FileHashEntity_Covid19_CommonSecurityLog.yaml", "KQL253"),
            // AzureDiagnostics resource-provider columns, not in the documented fixed schema
            Map.entry("Detections/AzureDiagnostics/MaliciousWAFSessions.yaml", "KQL202"),
            Map.entry("Hunting Queries/AzureDiagnostics/CriticalPortsOpened.yaml", "KQL202"),
            Map.entry("Hunting Queries/MultipleDataSources/AzureResourceAssignedPublicIP.yaml", "KQL202"),
            Map.entry("Hunting Queries/MultipleDataSources/AzureResourceCreationWithNetworkActivity.yaml", "KQL202"),
            // OfficeActivity columns the documented schema lacks or types differently
            Map.entry("Detections/OfficeActivity/Office_MailForwarding.yaml", "KQL202"),
            Map.entry("Detections/OfficeActivity/StrontiumCredHarvesting.yaml", "KQL205"),
            Map.entry("Detections/MultipleDataSources/STRONTIUMOct292020IOCs.yaml", "KQL205"),
            // other columns the documented schemas do not have
            Map.entry("Detections/ThreatIntelligenceIndicator/IPEntity_AzureNetworkAnalytics.yaml", "KQL202"),
            Map.entry("Hunting Queries/SecurityAlert/AlertsOnHost.yaml", "KQL202"),
            // names the query never defines (an error in Kusto too)
            Map.entry("Detections/SigninLogs/Brute Force Attack against GitHub Account.yaml", "KQL202"),
            Map.entry("Hunting Queries/SecurityAlert/AlertsWithFile.yaml", "KQL202"),
            // a workspace function the rule expects to be deployed
            Map.entry("Detections/MultipleDataSources/AnomalousIPUsageFollowedByTeamsAction.yaml", "KQL201"));

    /** {@code -Dcorpus.verbose=true} prints every failing query with all of its error diagnostics. */
    private static final boolean VERBOSE = Boolean.getBoolean("corpus.verbose");

    @TempDir
    Path dataDir;

    @Test
    void corpusParsesBindsAndRuns() throws Exception {
        Path root = SharedCorpus.rules().resolve("sentinel-dev");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(path -> path.toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        int parsed = 0;
        int bound = 0;
        int ran = 0;
        Map<String, Integer> firstErrors = new TreeMap<>();
        Map<String, String> failures = new TreeMap<>();
        try (DuckDbStore store = QueryFixtures.openStore(dataDir);
                QueryService service =
                        new QueryService(store, QueryFixtures.CLOCK, QueryService.DEFAULT_TIMEOUT, 1000)) {
            StoreQueryCatalog catalog = service.catalog();
            for (Path file : files) {
                Optional<String> query = query(file);
                if (query.isEmpty()) {
                    continue;
                }
                ParseResult parse = KqlParser.parse(query.get());
                if (parse.hasErrors()) {
                    continue;
                }
                parsed++;
                BoundQuery result =
                        Binder.bind(query.get(), parse, catalog, new BindOptions(QueryFixtures.NOW, Optional.empty()));
                if (result.hasErrors()) {
                    var first = result.diagnostics().stream()
                            .filter(d -> d.isError())
                            .findFirst()
                            .orElseThrow();
                    String key = first.code().code() + " " + first.message().replaceAll("'[^']*'", "'…'");
                    if (first.code().code().startsWith("KQL25")) {
                        key = first.code().code() + " " + first.message();
                    }
                    firstErrors.merge(key, 1, Integer::sum);
                    failures.put(root.relativize(file).toString(), first.code().code());
                    if (VERBOSE) {
                        System.out.println("  ! " + root.relativize(file) + ": "
                                + result.diagnostics().stream()
                                        .filter(d -> d.isError())
                                        .map(d -> d.code().code() + " " + d.message())
                                        .toList());
                    }
                    continue;
                }
                bound++;
                try {
                    service.execute(query.get(), Optional.empty());
                    ran++;
                } catch (QueryException exception) {
                    String message = exception.getMessage().lines().findFirst().orElse("");
                    firstErrors.merge("run: " + message, 1, Integer::sum);
                    failures.put(root.relativize(file).toString(), "run: " + message);
                }
            }
        }
        System.out.printf("sentinel corpus: %d parse, %d bind, %d run%n", parsed, bound, ran);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(firstErrors.entrySet());
        sorted.sort((left, right) -> right.getValue() - left.getValue());
        sorted.stream()
                .limit(40)
                .forEach(entry -> System.out.println("  " + entry.getValue() + " × " + entry.getKey()));
        // 150 files; the one whose YAML does not load has its query cut out of the query block, as rules check does
        assertThat(files).hasSize(150);
        assertThat(parsed).isEqualTo(150);
        assertThat(failures).containsExactlyInAnyOrderEntriesOf(EXPECTED_FAILURES);
        assertThat(bound).isEqualTo(150 - EXPECTED_FAILURES.size());
        assertThat(ran).isEqualTo(bound);
    }

    /**
     * The {@code query:} of a rule; for the one upstream file that is not valid YAML, the query cut out of
     * its {@code query: |} block.
     */
    private static Optional<String> query(Path file) throws Exception {
        return SentinelRuleFiles.read(file.toString(), Files.readAllBytes(file)).flatMap(SentinelRuleFiles.Rule::query);
    }
}
