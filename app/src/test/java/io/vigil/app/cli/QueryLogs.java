package io.vigil.app.cli;

import io.vigil.app.VigilRuntime;
import io.vigil.app.query.QueryService;
import io.vigil.engine.QueryResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The LAQueryLogs rows a CLI run left in a workspace, read back once the run has closed its store. */
final class QueryLogs {
    private QueryLogs() {}

    /** QueryText, RequestClientApp, ResponseCode and ResponseRowCount of every logged query, oldest first. */
    static List<List<Object>> read(Path dataDir) throws Exception {
        try (VigilRuntime runtime = VigilRuntime.open(dataDir)) {
            QueryService service = new QueryService(
                    runtime.store(), runtime.clock(), QueryService.DEFAULT_TIMEOUT, QueryService.DEFAULT_MAX_ROWS);
            QueryResult result = service.execute(
                    "LAQueryLogs | sort by TimeGenerated asc"
                            + " | project QueryText, RequestClientApp, ResponseCode, ResponseRowCount",
                    Optional.empty());
            return result.rows();
        }
    }
}
