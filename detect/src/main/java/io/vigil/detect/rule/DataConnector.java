package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A {@code requiredDataConnectors} entry: the connector and the tables it fills. */
public record DataConnector(String connectorId, List<String> dataTypes) {
    public DataConnector {
        requireNonNull(connectorId, "connectorId is null");
        dataTypes = List.copyOf(requireNonNull(dataTypes, "dataTypes is null"));
    }
}
