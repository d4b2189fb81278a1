package io.vigil.ingest.watch;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.EventStore;
import io.vigil.spi.StandardErrorCode;
import io.vigil.spi.VigilException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Optional;

/**
 * Per watched file, how much of it is stored: the bytes of complete lines (line files) or the records
 * of a {@code {"records":[…]}} document, plus a hash of the file's head to notice a replaced file. Kept
 * in the workspace database (an internal {@code _vigil_} table), so a restarted watcher resumes.
 */
final class WatchLedger {
    static final String TABLE = "_vigil_watch_files";

    private final EventStore store;
    private final Clock clock;

    WatchLedger(EventStore store, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        try (Connection connection = store.newQueryConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (path VARCHAR PRIMARY KEY,"
                    + " mode VARCHAR NOT NULL, format VARCHAR NOT NULL, imported_bytes BIGINT NOT NULL,"
                    + " imported_records BIGINT NOT NULL, head_sha256 VARCHAR NOT NULL,"
                    + " updated_at TIMESTAMPTZ NOT NULL)");
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot create the watch ledger", e);
        }
    }

    Optional<FileProgress> progress(String path) {
        try (Connection connection = store.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement("SELECT mode, format, imported_bytes,"
                        + " imported_records, head_sha256 FROM " + TABLE + " WHERE path = ?")) {
            statement.setString(1, path);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new FileProgress(
                        WatchMode.valueOf(rows.getString(1)),
                        rows.getString(2),
                        rows.getLong(3),
                        rows.getLong(4),
                        rows.getString(5)));
            }
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot read the watch ledger", e);
        }
    }

    /** Records progress after the rows it stands for were committed. */
    void record(String path, FileProgress progress) {
        try (Connection connection = store.newQueryConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT OR REPLACE INTO " + TABLE + " VALUES (?, ?, ?, ?, ?, ?, to_timestamp(? / 1000.0))")) {
            statement.setString(1, path);
            statement.setString(2, progress.mode().name());
            statement.setString(3, progress.format());
            statement.setLong(4, progress.importedBytes());
            statement.setLong(5, progress.importedRecords());
            statement.setString(6, progress.headSha256());
            statement.setLong(7, clock.millis());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new VigilException(StandardErrorCode.STORE_FAILURE, "cannot write the watch ledger", e);
        }
    }

    /**
     * How far a file is stored.
     *
     * @param format the format chosen for the file's first part, reused for its appended parts ("" = none)
     * @param importedBytes line files: bytes of complete lines stored; documents: the file size last stored
     * @param importedRecords documents: records of the {@code records} array stored; line files: 0
     * @param headSha256 {@code length:sha256} of the file's first bytes when stored (up to {@link
     *     FolderWatcher#HEAD_BYTES} of the stored lines; a document's bytes up to its first record)
     */
    record FileProgress(WatchMode mode, String format, long importedBytes, long importedRecords, String headSha256) {
        FileProgress {
            requireNonNull(mode, "mode is null");
            requireNonNull(format, "format is null");
            requireNonNull(headSha256, "headSha256 is null");
        }
    }

    /** How a file is followed. */
    enum WatchMode {
        /** One record per line (NDJSON, blob-layout PT1H.json, syslog, Storage Analytics): complete lines. */
        LINES,
        /** A {@code {"records":[…]}} document: records beyond those stored, once the document is complete. */
        RECORDS,
        /** gzip files: imported whole, once, by content hash (like {@code vigil import}). */
        WHOLE
    }
}
