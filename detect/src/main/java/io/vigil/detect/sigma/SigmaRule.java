package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Sigma detection rule (https://github.com/SigmaHQ/sigma-specification, rules specification 2.0): its
 * logsource, named searches and condition.
 */
public record SigmaRule(
        String title,
        Optional<String> id,
        Optional<String> name,
        Optional<String> level,
        Logsource logsource,
        Map<String, Search> searches,
        String condition,
        Optional<String> description,
        List<String> tags) {
    public SigmaRule {
        requireNonNull(title, "title is null");
        requireNonNull(id, "id is null");
        requireNonNull(name, "name is null");
        requireNonNull(level, "level is null");
        requireNonNull(logsource, "logsource is null");
        // ordered: 'them' and '1 of x*' expand in the rule's order
        searches = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(searches, "searches is null")));
        requireNonNull(condition, "condition is null");
        requireNonNull(description, "description is null");
        tags = List.copyOf(requireNonNull(tags, "tags is null"));
    }

    public record Logsource(Optional<String> product, Optional<String> category, Optional<String> service) {
        public Logsource {
            requireNonNull(product, "product is null");
            requireNonNull(category, "category is null");
            requireNonNull(service, "service is null");
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            product.ifPresent(value -> text.append("product=").append(value).append(' '));
            category.ifPresent(value -> text.append("category=").append(value).append(' '));
            service.ifPresent(value -> text.append("service=").append(value).append(' '));
            return text.toString().strip();
        }
    }

    /** A named search: keywords (values matched anywhere) or field maps (a list means any of them). */
    public sealed interface Search {
        record Keywords(List<SigmaValue> values) implements Search {
            public Keywords {
                values = List.copyOf(requireNonNull(values, "values is null"));
            }
        }

        /** Any of the maps; each map needs all of its items. */
        record FieldMaps(List<List<FieldItem>> alternatives) implements Search {
            public FieldMaps {
                alternatives = requireNonNull(alternatives, "alternatives is null").stream()
                        .map(List::copyOf)
                        .toList();
            }
        }
    }

    /** {@code field|modifier|…: value or values}; values are alternatives unless the {@code all} modifier says all. */
    public record FieldItem(String field, List<String> modifiers, List<SigmaValue> values) {
        public FieldItem {
            requireNonNull(field, "field is null");
            modifiers = List.copyOf(requireNonNull(modifiers, "modifiers is null"));
            values = List.copyOf(requireNonNull(values, "values is null"));
        }
    }
}
