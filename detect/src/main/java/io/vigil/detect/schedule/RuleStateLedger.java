package io.vigil.detect.schedule;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.QueryConnections;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * Per rule, the end of the last window it ran, the ingestion time up to which it has seen rows, and until
 * when it is suppressed: what lets a restarted scheduler resume without running a window twice or skipping
 * one. It lives in the workspace database as {@code _vigil_rule_state}, which queries never see.
 */
public final class RuleStateLedger {
    static final String TABLE = "_vigil_rule_state";

    private final QueryConnections connections;

    public RuleStateLedger(QueryConnections connections) {
        this.connections = requireNonNull(connections, "connections is null");
        try (Connection connection = connections.newQueryConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (rule_id VARCHAR PRIMARY KEY,"
                    + " last_window_end_micros BIGINT NOT NULL, ingestion_watermark_micros BIGINT,"
                    + " suppressed_until_micros BIGINT)");
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot create the rule state ledger", e);
        }
    }

    /** Where a rule stands after its last run. */
    public record RuleState(
            Instant lastWindowEnd, Optional<Instant> ingestionWatermark, Optional<Instant> suppressedUntil) {
        public RuleState {
            requireNonNull(lastWindowEnd, "lastWindowEnd is null");
            requireNonNull(ingestionWatermark, "ingestionWatermark is null");
            requireNonNull(suppressedUntil, "suppressedUntil is null");
        }
    }

    public Optional<RuleState> state(String ruleId) {
        try (Connection connection = connections.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT last_window_end_micros," + " ingestion_watermark_micros, suppressed_until_micros FROM "
                                + TABLE + " WHERE rule_id = ?")) {
            statement.setString(1, ruleId);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RuleState(fromMicros(rows.getLong(1)), optional(rows, 2), optional(rows, 3)));
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the rule state ledger", e);
        }
    }

    public void record(String ruleId, RuleState state) {
        try (Connection connection = connections.newQueryConnection();
                PreparedStatement statement =
                        connection.prepareStatement("INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?)")) {
            statement.setString(1, ruleId);
            statement.setLong(2, micros(state.lastWindowEnd()));
            statement.setObject(
                    3, state.ingestionWatermark().map(RuleStateLedger::micros).orElse(null));
            statement.setObject(
                    4, state.suppressedUntil().map(RuleStateLedger::micros).orElse(null));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write the rule state ledger", e);
        }
    }

    /**
     * Drops a rule's state, so that the rule starts afresh at its latest window: for a rule deleted (a rule
     * created again later under the same id must not catch up the time it did not exist) or rescheduled.
     */
    public void forget(String ruleId) {
        try (Connection connection = connections.newQueryConnection();
                PreparedStatement statement =
                        connection.prepareStatement("DELETE FROM " + TABLE + " WHERE rule_id = ?")) {
            statement.setString(1, ruleId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write the rule state ledger", e);
        }
    }

    private static Optional<Instant> optional(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        if (rows.wasNull()) {
            return Optional.empty();
        }
        return Optional.of(fromMicros(value));
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
