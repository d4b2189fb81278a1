package io.vigil.store;

import io.vigil.sql.DuckDbSchema;
import java.util.regex.Pattern;

/** Quoting of identifiers and literals in the SQL the store writes itself (never user-spliced text). */
final class SqlNames {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private SqlNames() {}

    static String quoteIdentifier(String name) {
        return DuckDbSchema.quoteIdentifier(name);
    }

    static String quoteLiteral(String value) {
        return '\'' + value.replace("'", "''") + '\'';
    }

    /** Whether a name may be a table name (Log Analytics allows letters, digits and underscores). */
    static boolean isValidTableName(String name) {
        return TABLE_NAME.matcher(name).matches();
    }
}
