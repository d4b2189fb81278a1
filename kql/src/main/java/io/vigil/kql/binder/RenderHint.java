package io.vigil.kql.binder;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A query's {@code render} operator, which does not change its rows: the chart kind and the properties of
 * its {@code with (...)} clause as written (render-operator). The query API hands it to clients that ask.
 */
public record RenderHint(String visualization, Map<String, String> properties) {
    public RenderHint {
        requireNonNull(visualization, "visualization is null");
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }
}
