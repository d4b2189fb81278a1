package io.vigil.store;

import static java.util.Objects.requireNonNull;

import io.vigil.store.geo.GeoIpDatabase;
import io.vigil.store.hash.XxHash64;
import io.vigil.store.series.DuckDbSeriesFunctions;
import io.vigil.store.xml.XmlToJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;
import org.duckdb.DuckDBFunctions;

/**
 * Every Java scalar function that KQL queries call by name in the SQL {@code io.vigil.sql.DuckDbDialect}
 * renders: the series functions, {@code vigil_parse_xml}, {@code vigil_geo_info_from_ip_address} and the xxHash64 of {@code hash()}. A
 * database that runs query SQL (the store's, and the in-memory one a DCR transform runs in) registers them
 * all, so that a plan never names a function its database lacks.
 */
public final class StoreFunctions {
    private StoreFunctions() {}

    /**
     * Adds the functions to the database of {@code connection}; its duplicates see them too. Without a GeoIP
     * database {@code geo_info_from_ip_address} answers the empty bag for every address.
     */
    public static void register(Connection connection, Optional<GeoIpDatabase> geoIp) throws SQLException {
        requireNonNull(geoIp, "geoIp is null");
        DuckDbSeriesFunctions.register(connection);
        text(connection, "vigil_parse_xml", XmlToJson::convert);
        Function<String, String> geo = address -> "{}";
        if (geoIp.isPresent()) {
            geo = geoIp.get()::lookup;
        }
        text(connection, "vigil_geo_info_from_ip_address", geo);
        // unsigned decimal text: the SQL turns it into Kusto's signed long or its remainder by hash()'s mod
        text(
                connection,
                "vigil_xxhash64_text",
                text -> text == null ? null : Long.toUnsignedString(XxHash64.ofText(text)));
        try (var builder = DuckDBFunctions.scalarFunction()) {
            builder.withName("vigil_xxhash64_long")
                    .withParameter(Long.class)
                    .withReturnType(String.class)
                    .withFunction((Long value) -> value == null ? null : Long.toUnsignedString(XxHash64.ofLong(value)))
                    .register(connection);
        }
    }

    private static void text(Connection connection, String name, Function<String, String> body) throws SQLException {
        try (var builder = DuckDBFunctions.scalarFunction()) {
            builder.withName(name)
                    .withParameter(String.class)
                    .withReturnType(String.class)
                    .withFunction(body)
                    .register(connection);
        }
    }
}
