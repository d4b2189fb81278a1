package io.vigil.detect.rule;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed access to one object of a loaded rule document (YAML or JSON, both loaded into maps, lists and
 * scalars), collecting a diagnostic for every missing or mistyped field instead of stopping at the first.
 */
final class RuleFields {
    private final Map<?, ?> map;
    private final String prefix;
    private final List<RuleDiagnostic> diagnostics;

    RuleFields(Map<?, ?> map, String prefix, List<RuleDiagnostic> diagnostics) {
        this.map = requireNonNull(map, "map is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.diagnostics = requireNonNull(diagnostics, "diagnostics is null");
    }

    List<RuleDiagnostic> diagnostics() {
        return diagnostics;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String path(String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    void error(RuleDiagnostic.Code code, String key, String message) {
        diagnostics.add(RuleDiagnostic.error(code, path(key), message));
    }

    void warning(RuleDiagnostic.Code code, String key, String message) {
        diagnostics.add(RuleDiagnostic.warning(code, path(key), message));
    }

    /** A scalar as text: version {@code 1.0} may load as a number, ids as text or numbers. */
    Optional<String> string(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected text, found " + describe(value));
            return Optional.empty();
        }
        return Optional.of(String.valueOf(value));
    }

    String requiredString(String key) {
        Optional<String> value = string(key);
        if (value.isEmpty() && !has(key)) {
            error(RuleDiagnostic.Code.MISSING_FIELD, key, "is required");
        }
        return value.orElse("");
    }

    Optional<Boolean> bool(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean flag) {
            return Optional.of(flag);
        }
        if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(text));
        }
        error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected true or false, found " + describe(value));
        return Optional.empty();
    }

    Optional<Integer> integer(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Integer number) {
            return Optional.of(number);
        }
        if (value instanceof String text && text.strip().matches("-?\\d{1,9}")) {
            return Optional.of(Integer.parseInt(text.strip()));
        }
        error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected a whole number, found " + describe(value));
        return Optional.empty();
    }

    Optional<Duration> duration(String key) {
        return string(key).flatMap(text -> {
            Optional<Duration> duration = RuleDurations.parse(text);
            if (duration.isEmpty()) {
                error(
                        RuleDiagnostic.Code.INVALID_VALUE,
                        key,
                        "'" + text + "' is not a duration (5m, 1h, 14d or ISO-8601 such as PT5H, P1D)");
            }
            return duration;
        });
    }

    <T> Optional<T> named(String key, Function<String, Optional<T>> parse, String expected) {
        return string(key).flatMap(text -> {
            Optional<T> value = parse.apply(text);
            if (value.isEmpty()) {
                error(RuleDiagnostic.Code.INVALID_VALUE, key, "'" + text + "' is not one of " + expected);
            }
            return value;
        });
    }

    List<String> strings(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected a list, found " + describe(value));
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (Object element : list) {
            if (element instanceof Map<?, ?> || element instanceof List<?> || element == null) {
                error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected a list of text, found " + describe(element));
            } else {
                strings.add(String.valueOf(element));
            }
        }
        return strings;
    }

    Optional<RuleFields> object(String key) {
        Object value = map.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map<?, ?> child) {
            return Optional.of(new RuleFields(child, path(key), diagnostics));
        }
        error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected an object, found " + describe(value));
        return Optional.empty();
    }

    List<RuleFields> objects(String key) {
        Object value = map.get(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected a list, found " + describe(value));
            return List.of();
        }
        List<RuleFields> objects = new ArrayList<>();
        for (Object element : list) {
            if (element instanceof Map<?, ?> child) {
                objects.add(new RuleFields(child, path(key), diagnostics));
            } else {
                error(RuleDiagnostic.Code.INVALID_VALUE, key, "expected a list of objects, found " + describe(element));
            }
        }
        return objects;
    }

    /** An object of text values, in the document's order. */
    Map<String, String> stringMap(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        object(key).ifPresent(child -> {
            for (Map.Entry<?, ?> entry : child.map.entrySet()) {
                String name = String.valueOf(entry.getKey());
                child.string(name).ifPresent(text -> result.put(name, text));
            }
        });
        return result;
    }

    /** Builds a record, turning a broken Sentinel limit into a diagnostic. */
    <T> Optional<T> attempt(Supplier<T> build) {
        try {
            return Optional.of(build.get());
        } catch (InvalidRuleException exception) {
            diagnostics.add(exception.diagnostic());
            return Optional.empty();
        }
    }

    private static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case Map<?, ?> ignored -> "an object";
            case List<?> ignored -> "a list";
            case String text -> "'" + text + "'";
            default -> String.valueOf(value);
        };
    }
}
