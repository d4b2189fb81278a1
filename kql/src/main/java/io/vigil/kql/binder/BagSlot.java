package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import io.vigil.spi.ColumnType;
import java.util.Set;

/**
 * A top-level key of the bags {@code bag_unpack} unpacks, with the KQL types its values have in the
 * probed rows (strings, long for JSON integers, real, bool, dynamic for objects and arrays; JSON null adds
 * no type).
 */
public record BagSlot(String key, Set<ColumnType> types) {
    public BagSlot {
        requireNonNull(key, "key is null");
        types = Set.copyOf(requireNonNull(types, "types is null"));
    }

    /** The column type: the one type of all values, else dynamic (and dynamic when every value is null). */
    public ColumnType columnType() {
        if (types.size() == 1) {
            return types.iterator().next();
        }
        return ColumnType.DYNAMIC;
    }
}
