package io.vigil.detect.query;

import static java.util.Objects.requireNonNull;

import io.vigil.catalog.TableCatalog;
import io.vigil.kql.binder.BindOptions;
import io.vigil.kql.binder.Binder;
import io.vigil.kql.binder.BoundQuery;
import io.vigil.kql.binder.CatalogTable;
import io.vigil.kql.binder.QueryCatalog;
import io.vigil.kql.syntax.Diagnostic;
import io.vigil.kql.syntax.KqlParser;
import io.vigil.spi.Column;
import io.vigil.spi.TableSchema;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Parses and binds a rule's KQL against the table catalog, without data: the compile check a rule must
 * pass before it may run. (When the engine module lands, its compile replaces this.)
 */
public final class KqlCheck {
    private final QueryCatalog catalog;

    public KqlCheck(TableCatalog tables) {
        requireNonNull(tables, "tables is null");
        this.catalog = new SchemaCatalog(tables);
    }

    /** The error diagnostics of the query; empty when it parses and binds. */
    public List<Diagnostic> errors(String kql) {
        BoundQuery bound =
                Binder.bind(kql, KqlParser.parse(kql), catalog, new BindOptions(Instant.EPOCH, Optional.empty()));
        return bound.diagnostics().stream().filter(Diagnostic::isError).toList();
    }

    /** Tables as their schemas say, with the store's column names equal to the visible ones. */
    private record SchemaCatalog(TableCatalog tables) implements QueryCatalog {
        @Override
        public Optional<CatalogTable> table(String name) {
            return tables.table(name).map(SchemaCatalog::catalogTable);
        }

        @Override
        public Collection<String> tableNames() {
            return tables.tables().stream().map(TableSchema::name).toList();
        }

        private static CatalogTable catalogTable(TableSchema schema) {
            return new CatalogTable(
                    schema, schema.columns().stream().map(Column::name).toList(), Optional.empty());
        }
    }
}
