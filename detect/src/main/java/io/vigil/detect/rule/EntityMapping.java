package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * One entity of a rule's {@code entityMappings}: an entity type and up to three identifiers, each read
 * from a result column. Types and limits: https://learn.microsoft.com/azure/sentinel/entities-reference
 * and https://learn.microsoft.com/azure/sentinel/map-data-fields-to-entities (at most ten entities, three
 * identifiers each).
 */
public record EntityMapping(String entityType, List<FieldMapping> fieldMappings) {
    public static final Set<String> ENTITY_TYPES = Set.of(
            "Account",
            "AzureResource",
            "CloudApplication",
            "DNS",
            "File",
            "FileHash",
            "Host",
            "IoTDevice",
            "IP",
            "Mailbox",
            "MailCluster",
            "MailMessage",
            "Malware",
            "Process",
            "RegistryKey",
            "RegistryValue",
            "SecurityGroup",
            "SubmissionMail",
            "URL");

    public static final int MAXIMUM_IDENTIFIERS = 3;

    public EntityMapping {
        requireNonNull(entityType, "entityType is null");
        fieldMappings = List.copyOf(requireNonNull(fieldMappings, "fieldMappings is null"));
        InvalidRuleException.check(
                ENTITY_TYPES.contains(entityType),
                RuleDiagnostic.Code.INVALID_VALUE,
                "entityMappings.entityType",
                "unknown entity type '" + entityType + "'");
        InvalidRuleException.check(
                !fieldMappings.isEmpty() && fieldMappings.size() <= MAXIMUM_IDENTIFIERS,
                RuleDiagnostic.Code.OUT_OF_RANGE,
                "entityMappings.fieldMappings",
                entityType + " has " + fieldMappings.size() + " identifiers; Sentinel takes 1 to "
                        + MAXIMUM_IDENTIFIERS);
    }

    /** An identifier of the entity (FullName, Address, …) and the result column it comes from. */
    public record FieldMapping(String identifier, String columnName) {
        public FieldMapping {
            requireNonNull(identifier, "identifier is null");
            requireNonNull(columnName, "columnName is null");
            InvalidRuleException.check(
                    !identifier.isBlank() && !columnName.isBlank(),
                    RuleDiagnostic.Code.MISSING_FIELD,
                    "entityMappings.fieldMappings",
                    "identifier and columnName are required");
        }
    }
}
