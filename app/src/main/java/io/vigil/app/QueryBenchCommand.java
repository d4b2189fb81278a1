package io.vigil.app;

import io.vigil.app.bench.QueryBenchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "Detection queries on generated SigninLogs rows, as KQL through the query service vs"
                + " hand-written DuckDB SQL on the same store; one 'name: kql ms, sql ms, ratio' line per query,"
                + " the last line is ratio=<geometric mean of kql/sql>.")
final class QueryBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "5000000", description = "SigninLogs rows. Default: ${DEFAULT-VALUE}")
    int rows;

    @Option(
            names = "--runs",
            defaultValue = "5",
            description =
                    "Timed runs of each query per side after one warm-up; the median counts. Default: ${DEFAULT-VALUE}")
    int runs;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Scratch folder for the store, kept afterwards (default: a temporary one, removed)")
    Path dir;

    @Option(names = "--show-sql", description = "Print the SQL rendered from each KQL query and the hand-written SQL")
    boolean showSql;

    @Override
    public Integer call() throws Exception {
        new QueryBenchmark(rows, runs, dir, showSql, System.out).run();
        return 0;
    }
}
