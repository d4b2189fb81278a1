package io.vigil.detect.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON text of alert and incident columns, written in a fixed key order so rows are reproducible. */
final class AlertJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Sentinel's spelling of entity types in the Entities column (lower case, some hyphenated), from the
     * entity reference: https://learn.microsoft.com/azure/sentinel/entities-reference
     */
    private static final Map<String, String> ENTITY_KINDS = Map.ofEntries(
            Map.entry("AzureResource", "azure-resource"),
            Map.entry("CloudApplication", "cloud-application"),
            Map.entry("RegistryKey", "registry-key"),
            Map.entry("RegistryValue", "registry-value"),
            Map.entry("SecurityGroup", "security-group"),
            Map.entry("MailCluster", "mail-cluster"),
            Map.entry("MailMessage", "mail-message"),
            Map.entry("SubmissionMail", "SubmissionMail"));

    private AlertJson() {}

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("alert values are plain strings, lists and maps", e);
        }
    }

    /** The Entities column: one object per entity with Sentinel's {@code $id} and {@code Type}. */
    static String entities(List<AlertEntity> entities) {
        List<Map<String, String>> objects = new ArrayList<>();
        int id = 2; // Sentinel numbers entities from 2 ($id 1 is the alert itself)
        for (AlertEntity entity : entities) {
            Map<String, String> object = new LinkedHashMap<>();
            object.put("$id", Integer.toString(id++));
            object.putAll(entity.identifiers());
            object.put("Type", entityKind(entity.type()));
            objects.add(object);
        }
        return write(objects);
    }

    static String entityKind(String type) {
        return ENTITY_KINDS.getOrDefault(type, type.toLowerCase(Locale.ROOT));
    }
}
