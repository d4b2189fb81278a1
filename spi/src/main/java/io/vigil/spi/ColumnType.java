package io.vigil.spi;

import java.util.Locale;

/** The scalar types of Azure Monitor Logs columns (KQL's type names). */
public enum ColumnType {
    STRING("string"),
    INT("int"),
    LONG("long"),
    REAL("real"),
    BOOL("bool"),
    DATETIME("datetime"),
    GUID("guid"),
    TIMESPAN("timespan"),
    DYNAMIC("dynamic");

    private final String kqlName;

    ColumnType(String kqlName) {
        this.kqlName = kqlName;
    }

    /** The KQL spelling of this type, as `getschema` prints it. */
    public String kqlName() {
        return kqlName;
    }

    /**
     * Maps a type as written in the Azure Monitor table reference to a column type. The reference
     * mixes KQL names (`string`, `real`) with the older names of AzureDiagnostics (`String`,
     * `Double`, `BigInt`, `DateTime`); AzureDiagnostics' `AdditionalFields` has no type there and is
     * dynamic in a workspace.
     */
    public static ColumnType fromReferenceName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "string" -> STRING;
            case "int" -> INT;
            case "long", "bigint" -> LONG;
            case "real", "double" -> REAL;
            case "bool", "boolean" -> BOOL;
            case "datetime" -> DATETIME;
            case "guid", "uniqueid" -> GUID;
            case "timespan" -> TIMESPAN;
            case "dynamic", "" -> DYNAMIC;
            default -> throw new IllegalArgumentException("unknown column type: " + name);
        };
    }

    /** Whether a Java value is of the representation this type uses in a {@link Row}. */
    public boolean accepts(Object value) {
        return switch (this) {
            case STRING, GUID -> value instanceof String;
            case INT -> value instanceof Integer;
            case LONG -> value instanceof Long;
            case REAL -> value instanceof Double;
            case BOOL -> value instanceof Boolean;
            case DATETIME -> value instanceof java.time.Instant;
            case TIMESPAN -> value instanceof java.time.Duration;
            case DYNAMIC -> value instanceof Dynamic;
        };
    }
}
