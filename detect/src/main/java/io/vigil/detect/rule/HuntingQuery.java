package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Sentinel hunting query: a query with no schedule, kept as a saved query (Log Analytics' saved
 * searches with the category "Hunting Queries").
 */
public record HuntingQuery(
        String id,
        String name,
        String description,
        String query,
        List<String> tactics,
        List<String> relevantTechniques,
        List<EntityMapping> entityMappings,
        List<DataConnector> requiredDataConnectors) {
    public HuntingQuery {
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(query, "query is null");
        tactics = List.copyOf(requireNonNull(tactics, "tactics is null"));
        relevantTechniques = List.copyOf(requireNonNull(relevantTechniques, "relevantTechniques is null"));
        entityMappings = List.copyOf(requireNonNull(entityMappings, "entityMappings is null"));
        requiredDataConnectors = List.copyOf(requireNonNull(requiredDataConnectors, "requiredDataConnectors is null"));
        InvalidRuleException.check(!id.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "id", "a query needs an id");
        InvalidRuleException.check(!name.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "name", "a query needs a name");
        InvalidRuleException.check(
                !query.isBlank(), RuleDiagnostic.Code.MISSING_FIELD, "query", "a hunting query needs a query");
    }
}
