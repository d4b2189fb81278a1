package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import io.vigil.catalog.TableCatalog;
import io.vigil.spi.Column;
import io.vigil.spi.ColumnType;
import io.vigil.spi.TableSchema;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Compiles Sigma rules to KQL over Vigil's tables: the logsource picks a table and a filter
 * ({@link LogsourceMappings}), fields are mapped, and each modifier becomes a KQL operator (the token
 * table is the switch in {@link #match}). Sigma's string matching is case-insensitive, so is the KQL
 * (=~, in~, contains, startswith, endswith, (?i) regexes) unless the rule says {@code cased}.
 */
public final class SigmaToKql {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** Sigma's windash: a leading - or / may be written with any of these (pySigma uses the same set). */
    private static final Set<String> MATCH_MODIFIERS =
            Set.of("contains", "startswith", "endswith", "re", "cidr", "exists", "gt", "gte", "lt", "lte", "fieldref");

    private static final List<String> DASHES = List.of("-", "/", "\u2013", "\u2014", "\u2015");

    private final LogsourceMappings mappings;
    private final TableCatalog catalog;

    public SigmaToKql(LogsourceMappings mappings, TableCatalog catalog) {
        this.mappings = requireNonNull(mappings, "mappings is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** A rule's query and the table it reads. */
    public record Query(String table, String kql) {
        public Query {
            requireNonNull(table, "table is null");
            requireNonNull(kql, "kql is null");
        }
    }

    /** The KQL of a rule, or the first reason it cannot be converted. */
    Query convert(SigmaRule rule) {
        Context context = context(rule);
        SigmaCondition condition = SigmaCondition.parse(rule.condition());
        StringBuilder kql = new StringBuilder(context.mapping.table());
        context.mapping.filter().ifPresent(filter -> kql.append("\n| where ").append(filter));
        kql.append("\n| where ").append(context.condition(condition, rule));
        return new Query(context.mapping.table(), kql.toString());
    }

    /**
     * A correlation over rules converted before it: their queries are united, grouped into {@code timespan}
     * bins by the group-by fields, and filtered by the count.
     */
    Query convert(SigmaCorrelation correlation, Map<String, SigmaRule> rules) {
        List<String> parts = new ArrayList<>();
        Set<String> tables = new LinkedHashSet<>();
        for (String reference : correlation.rules()) {
            SigmaRule rule = rules.get(reference);
            if (rule == null) {
                throw new SigmaConversionException(
                        SigmaError.Code.UNSUPPORTED_CORRELATION,
                        "correlation '" + correlation.title() + "' refers to rule '" + reference
                                + "', which is not among the rules converted with it");
            }
            Context context = context(rule);
            StringBuilder part = new StringBuilder(convert(rule).kql());
            List<String> extended = new ArrayList<>();
            for (String field : fieldsOf(correlation)) {
                FieldRef reference_ = context.field(field);
                String name = columnName(field);
                if (!reference_.expression().equals(name)) {
                    extended.add(name + " = " + reference_.expression());
                }
            }
            if (correlation.type() == SigmaCorrelation.Type.TEMPORAL) {
                extended.add("SigmaRule = " + quote(reference));
            }
            if (!extended.isEmpty()) {
                part.append("\n| extend ").append(String.join(", ", extended));
            }
            parts.add(part.toString());
            tables.add(context.mapping.table());
        }
        StringBuilder kql = new StringBuilder();
        if (parts.size() == 1) {
            kql.append(parts.get(0));
        } else {
            kql.append("union\n");
            for (int index = 0; index < parts.size(); index++) {
                kql.append("    (")
                        .append(parts.get(index).replace("\n", "\n    "))
                        .append(")");
                kql.append(index + 1 < parts.size() ? ",\n" : "");
            }
        }
        List<String> groups = new ArrayList<>();
        groups.add("bin(TimeGenerated, " + timespan(correlation) + ")");
        correlation.groupBy().forEach(field -> groups.add(columnName(field)));
        String aggregate = switch (correlation.type()) {
            case EVENT_COUNT -> "EventCount = count()";
            case VALUE_COUNT -> "ValueCount = dcount(" + columnName(thresholdField(correlation)) + ")";
            case TEMPORAL -> "RuleCount = dcount(SigmaRule)";
        };
        kql.append("\n| summarize ").append(aggregate).append(" by ").append(String.join(", ", groups));
        String counted = aggregate.substring(0, aggregate.indexOf(' '));
        if (correlation.type() == SigmaCorrelation.Type.TEMPORAL
                && correlation.threshold().isEmpty()) {
            kql.append("\n| where RuleCount == ").append(correlation.rules().size());
        } else {
            SigmaCorrelation.Threshold threshold = correlation.threshold().orElseThrow();
            kql.append("\n| where ")
                    .append(counted)
                    .append(' ')
                    .append(comparison(threshold.operator()))
                    .append(' ')
                    .append(threshold.value());
        }
        return new Query(String.join(",", tables), kql.toString());
    }

    private static List<String> fieldsOf(SigmaCorrelation correlation) {
        List<String> fields = new ArrayList<>(correlation.groupBy());
        if (correlation.type() == SigmaCorrelation.Type.VALUE_COUNT) {
            fields.add(thresholdField(correlation));
        }
        return fields;
    }

    private static String thresholdField(SigmaCorrelation correlation) {
        return correlation
                .threshold()
                .flatMap(SigmaCorrelation.Threshold::field)
                .orElseThrow(() -> new SigmaConversionException(
                        SigmaError.Code.INVALID_RULE, "a value_count correlation needs 'condition.field'"));
    }

    private static String timespan(SigmaCorrelation correlation) {
        long seconds = correlation.timespan().toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static String comparison(String operator) {
        return switch (operator) {
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            case "lte" -> "<=";
            case "eq" -> "==";
            default -> throw new IllegalStateException("operator outside the reader's set: " + operator);
        };
    }

    private Context context(SigmaRule rule) {
        LogsourceMapping mapping = mappings.find(rule.logsource())
                .orElseThrow(() -> new SigmaConversionException(
                        SigmaError.Code.UNMAPPABLE_LOGSOURCE,
                        "logsource " + rule.logsource() + " has no Vigil table (mapped logsources are listed in"
                                + " docs/detection.md)"));
        TableSchema schema = catalog.table(mapping.table())
                .orElseThrow(
                        () -> new IllegalStateException("logsources.yaml names an unknown table " + mapping.table()));
        return new Context(mapping, schema);
    }

    /** A mapped field: its KQL expression, type, and whether it holds a list matched by term. */
    record FieldRef(String expression, ColumnType type, boolean term) {
        boolean isNumeric() {
            return type == ColumnType.INT || type == ColumnType.LONG || type == ColumnType.REAL;
        }

        /** The field as a string, for text operators. */
        String text() {
            return type == ColumnType.STRING ? expression : "tostring(" + expression + ")";
        }
    }

    private static final class Context {
        private final LogsourceMapping mapping;
        private final TableSchema schema;

        Context(LogsourceMapping mapping, TableSchema schema) {
            this.mapping = mapping;
            this.schema = schema;
        }

        String condition(SigmaCondition condition, SigmaRule rule) {
            return switch (condition) {
                case SigmaCondition.Identifier identifier -> {
                    SigmaRule.Search search = rule.searches().get(identifier.name());
                    if (search == null) {
                        throw new SigmaConversionException(
                                SigmaError.Code.INVALID_CONDITION,
                                "condition names '" + identifier.name() + "', which is not a search of the rule");
                    }
                    yield search(identifier.name(), search);
                }
                case SigmaCondition.Quantified quantified -> {
                    List<String> names = matching(quantified.pattern(), rule);
                    List<String> expressions = new ArrayList<>();
                    for (String name : names) {
                        String expression = search(name, rule.searches().get(name));
                        expressions.add(quantified.all() ? group(expression) : expression);
                    }
                    yield String.join(quantified.all() ? " and " : " or ", expressions);
                }
                case SigmaCondition.Not not -> "not(" + condition(not.operand(), rule) + ")";
                case SigmaCondition.And and ->
                    group(condition(and.left(), rule)) + " and " + group(condition(and.right(), rule));
                case SigmaCondition.Or or -> condition(or.left(), rule) + " or " + condition(or.right(), rule);
            };
        }

        private List<String> matching(String pattern, SigmaRule rule) {
            List<String> names = new ArrayList<>();
            for (String name : rule.searches().keySet()) {
                boolean matches = pattern.equals("them")
                        ? !name.startsWith("_")
                        : Pattern.matches(Pattern.quote(pattern).replace("*", "\\E.*\\Q"), name);
                if (matches) {
                    names.add(name);
                }
            }
            if (names.isEmpty()) {
                throw new SigmaConversionException(
                        SigmaError.Code.INVALID_CONDITION, "'of " + pattern + "' matches no search of the rule");
            }
            return names;
        }

        private String search(String name, SigmaRule.Search search) {
            return switch (search) {
                case SigmaRule.Search.Keywords keywords -> {
                    List<String> terms = new ArrayList<>();
                    for (SigmaValue value : keywords.values()) {
                        terms.add(match(keywordField(), List.of("contains"), value));
                    }
                    yield String.join(" or ", terms);
                }
                case SigmaRule.Search.FieldMaps maps -> {
                    List<String> alternatives = new ArrayList<>();
                    for (List<SigmaRule.FieldItem> items : maps.alternatives()) {
                        if (items.isEmpty()) {
                            throw new SigmaConversionException(
                                    SigmaError.Code.INVALID_RULE, "search '" + name + "' has an empty map");
                        }
                        List<String> all = new ArrayList<>();
                        for (SigmaRule.FieldItem item : items) {
                            String expression = item(item);
                            all.add(items.size() == 1 ? expression : group(expression));
                        }
                        alternatives.add(String.join(" and ", all));
                    }
                    yield String.join(" or ", alternatives);
                }
            };
        }

        private String item(SigmaRule.FieldItem item) {
            FieldRef field = item.field().isEmpty() ? keywordField() : field(item.field());
            boolean all = item.modifiers().contains("all");
            List<String> modifiers = new ArrayList<>(item.modifiers().stream()
                    .filter(modifier -> !modifier.equals("all"))
                    .toList());
            if (item.field().isEmpty() && modifiers.stream().noneMatch(MATCH_MODIFIERS::contains)) {
                // keywords match anywhere in the message, with or without modifiers such as |all
                modifiers.add("contains");
            }
            if (modifiers.isEmpty() && !all && item.values().size() > 1) {
                Optional<String> list = inList(field, item.values());
                if (list.isPresent()) {
                    return list.get();
                }
            }
            List<String> expressions = new ArrayList<>();
            for (SigmaValue value : item.values()) {
                expressions.add(match(field, modifiers, value));
            }
            if (expressions.isEmpty()) {
                throw new SigmaConversionException(
                        SigmaError.Code.INVALID_RULE, "field '" + item.field() + "' has no value");
            }
            if (all) {
                return String.join(
                        " and ", expressions.stream().map(SigmaToKql::group).toList());
            }
            return String.join(" or ", expressions);
        }

        /** Plain values compared for equality: {@code in~} for text, {@code in} for numbers. */
        private Optional<String> inList(FieldRef field, List<SigmaValue> values) {
            if (field.term()) {
                return Optional.empty();
            }
            List<String> literals = new ArrayList<>();
            for (SigmaValue value : values) {
                if (field.isNumeric() && value instanceof SigmaValue.Number number) {
                    literals.add(number.text());
                } else if (!field.isNumeric()
                        && field.type() == ColumnType.STRING
                        && value instanceof SigmaValue.Text text
                        && !SigmaString.parse(text.raw()).hasWildcards()) {
                    literals.add(quote(SigmaString.parse(text.raw()).plain()));
                } else if (!field.isNumeric()
                        && field.type() == ColumnType.STRING
                        && value instanceof SigmaValue.Number number) {
                    literals.add(quote(number.text()));
                } else {
                    return Optional.empty();
                }
            }
            String operator = field.isNumeric() ? " in (" : " in~ (";
            return Optional.of(field.expression() + operator + String.join(", ", literals) + ")");
        }

        FieldRef field(String name) {
            String reason = mapping.unmappable().get(name);
            if (reason != null) {
                throw unmappable(name, reason);
            }
            LogsourceMapping.FieldTarget target = mapping.fields().get(name);
            if (target != null) {
                return switch (target) {
                    case LogsourceMapping.FieldTarget.ColumnTarget column ->
                        new FieldRef(column.column(), columnType(column.column()), column.term());
                    case LogsourceMapping.FieldTarget.ExpressionTarget expression ->
                        new FieldRef(expression.expression(), ColumnType.STRING, false);
                };
            }
            // exact names only: a case-insensitive match would turn auditd's 'type' into the table's Type column
            Optional<Column> column = schema.column(name);
            if (column.isPresent() && !column.get().name().startsWith("_")) {
                return new FieldRef(column.get().name(), column.get().type(), false);
            }
            int dot = name.indexOf('.');
            if (dot > 0 && mapping.objectColumns().contains(name.substring(0, dot))) {
                StringBuilder path = new StringBuilder(name.substring(0, dot));
                for (String member : name.substring(dot + 1).split("\\.", -1)) {
                    path.append(IDENTIFIER.matcher(member).matches() ? "." + member : "[" + quote(member) + "]");
                }
                return new FieldRef("tostring(" + path + ")", ColumnType.STRING, false);
            }
            if (mapping.eventData().isPresent() && NAME.matcher(name).matches()) {
                return new FieldRef(
                        "extract(@'<Data Name=\"" + name + "\">([^<]*)</Data>', 1, "
                                + mapping.eventData().get() + ")",
                        ColumnType.STRING,
                        false);
            }
            if (mapping.keyValues().isPresent() && NAME.matcher(name).matches()) {
                return new FieldRef(
                        "trim(@'\"', extract(@'(?:^|\\s)" + name + "=(\"[^\"]*\"|\\S*)', 1, "
                                + mapping.keyValues().get() + "))",
                        ColumnType.STRING,
                        false);
            }
            throw unmappable(name, "table " + mapping.table() + " has no such column");
        }

        private FieldRef keywordField() {
            String column = mapping.keywords()
                    .orElseThrow(() -> new SigmaConversionException(
                            SigmaError.Code.UNMAPPABLE_FIELD,
                            "keywords (values without a field) need a message column; logsource " + mapping.name()
                                    + " has none"));
            return new FieldRef(column, columnType(column), false);
        }

        private ColumnType columnType(String column) {
            return schema.column(column)
                    .map(Column::type)
                    .orElseThrow(() -> new IllegalStateException(
                            "logsources.yaml maps to " + column + ", not a column of " + schema.name()));
        }

        private SigmaConversionException unmappable(String field, String reason) {
            return new SigmaConversionException(
                    SigmaError.Code.UNMAPPABLE_FIELD,
                    "field '" + field + "' cannot be mapped for logsource " + mapping.name() + ": " + reason);
        }

        /** One value under the modifiers: the token table of this backend. */
        private String match(FieldRef field, List<String> modifiers, SigmaValue value) {
            boolean cased = false;
            String operator = "equals";
            String regexFlags = "";
            Charset wide = null;
            List<String> transforms = new ArrayList<>();
            for (int index = 0; index < modifiers.size(); index++) {
                String modifier = modifiers.get(index);
                switch (modifier) {
                    case "contains", "startswith", "endswith", "cidr", "exists", "gt", "gte", "lt", "lte", "fieldref" ->
                        operator = modifier;
                    case "re" -> {
                        operator = "re";
                        while (index + 1 < modifiers.size()
                                && List.of("i", "m", "s").contains(modifiers.get(index + 1))) {
                            regexFlags += modifiers.get(++index);
                        }
                    }
                    case "cased" -> cased = true;
                    case "base64", "base64offset", "windash" -> transforms.add(modifier);
                    case "wide", "utf16le" -> wide = StandardCharsets.UTF_16LE;
                    case "utf16be" -> wide = StandardCharsets.UTF_16BE;
                    case "utf16" -> wide = StandardCharsets.UTF_16;
                    case "expand" ->
                        throw new SigmaConversionException(
                                SigmaError.Code.UNSUPPORTED_MODIFIER,
                                "modifier 'expand' (placeholders) is not supported: placeholders need per-site values");
                    default ->
                        throw new SigmaConversionException(
                                SigmaError.Code.UNSUPPORTED_MODIFIER, "modifier '" + modifier + "' is not supported");
                }
            }
            switch (operator) {
                case "exists" -> {
                    if (!(value instanceof SigmaValue.Bool exists)) {
                        throw unsupported("'exists' takes true or false");
                    }
                    return (exists.value() ? "isnotempty(" : "isempty(") + field.expression() + ")";
                }
                case "gt", "gte", "lt", "lte" -> {
                    String number = switch (value) {
                        case SigmaValue.Number numeric -> numeric.text();
                        case SigmaValue.Text text
                        when NUMBER.matcher(text.raw()).matches() -> text.raw();
                        default -> throw unsupported("'" + operator + "' takes a number");
                    };
                    String subject = field.isNumeric() ? field.expression() : "toreal(" + field.expression() + ")";
                    return subject + " " + comparison(operator.equals("gte") ? "gte" : operator) + " " + number;
                }
                case "cidr" -> {
                    String range = text(value, "cidr");
                    if (range.contains(":")) {
                        throw unsupported("IPv6 range '" + range + "' (Vigil's KQL has ipv4_is_in_range only)");
                    }
                    return "ipv4_is_in_range(" + field.text() + ", " + quote(range) + ")";
                }
                case "re" -> {
                    String flags = regexFlags.isEmpty() ? "" : "(?" + regexFlags + ")";
                    return field.text() + " matches regex " + quote(flags + text(value, "re"));
                }
                case "fieldref" -> {
                    FieldRef other = field(text(value, "fieldref"));
                    return field.text() + (cased ? " == " : " =~ ") + other.text();
                }
                default -> {
                    // equals, contains, startswith, endswith
                }
            }
            if (value instanceof SigmaValue.Null) {
                return "isempty(" + field.expression() + ")";
            }
            if (value instanceof SigmaValue.Bool flag) {
                if (field.type() == ColumnType.BOOL) {
                    return field.expression() + " == " + flag.value();
                }
                return field.text() + " =~ " + quote(String.valueOf(flag.value()));
            }
            if (value instanceof SigmaValue.Number number && transforms.isEmpty() && operator.equals("equals")) {
                if (field.isNumeric()) {
                    return field.expression() + " == " + number.text();
                }
                return equalsMatch(field, number.text(), cased);
            }
            if (field.isNumeric()
                    && operator.equals("equals")
                    && transforms.isEmpty()
                    && value instanceof SigmaValue.Text text
                    && NUMBER.matcher(text.raw()).matches()) {
                return field.expression() + " == " + text.raw();
            }
            List<SigmaString> variants = List.of(SigmaString.parse(rawText(value)));
            for (String transform : transforms) {
                variants = transform(transform, variants, wide);
            }
            if (wide != null && !transforms.contains("base64") && !transforms.contains("base64offset")) {
                throw unsupported("'wide'/'utf16' only make sense before base64 or base64offset");
            }
            List<String> expressions = new ArrayList<>();
            for (SigmaString variant : variants) {
                SigmaString pattern = switch (operator) {
                    case "contains" -> variant.withLeadingRun().withTrailingRun();
                    case "startswith" -> variant.withTrailingRun();
                    case "endswith" -> variant.withLeadingRun();
                    default -> variant;
                };
                expressions.add(stringMatch(field, pattern, cased));
            }
            return String.join(" or ", expressions);
        }

        private String text(SigmaValue value, String modifier) {
            if (value instanceof SigmaValue.Text text) {
                return text.raw();
            }
            if (value instanceof SigmaValue.Number number) {
                return number.text();
            }
            throw unsupported("'" + modifier + "' takes text");
        }

        private String rawText(SigmaValue value) {
            return switch (value) {
                case SigmaValue.Text text -> text.raw();
                case SigmaValue.Number number -> number.text();
                case SigmaValue.Bool flag -> String.valueOf(flag.value());
                case SigmaValue.Null ignored -> "";
            };
        }

        private List<SigmaString> transform(String transform, List<SigmaString> values, Charset charset) {
            List<SigmaString> result = new ArrayList<>();
            Charset encoding = charset == null ? StandardCharsets.UTF_8 : charset;
            for (SigmaString value : values) {
                switch (transform) {
                    case "windash" -> {
                        String raw = value.plain();
                        if (value.hasWildcards()) {
                            result.addAll(windash(value));
                        } else {
                            for (String dash : DASHES) {
                                result.add(SigmaString.literal(replaceDashes(raw, dash)));
                            }
                        }
                    }
                    case "base64" -> {
                        requirePlain(value, transform);
                        result.add(SigmaString.literal(
                                Base64.getEncoder().encodeToString(value.plain().getBytes(encoding))));
                    }
                    case "base64offset" -> {
                        requirePlain(value, transform);
                        byte[] bytes = value.plain().getBytes(encoding);
                        // the value at byte offset 0, 1 or 2 of a longer encoded string: drop the characters
                        // that depend on the unknown bytes around it (Sigma specification, base64offset)
                        int[] startDrop = {0, 2, 3};
                        int[] endDrop = {0, 3, 2};
                        for (int offset = 0; offset < 3; offset++) {
                            byte[] padded = new byte[offset + bytes.length];
                            System.arraycopy(bytes, 0, padded, offset, bytes.length);
                            String encoded = Base64.getEncoder().encodeToString(padded);
                            int end = encoded.length() - endDrop[(bytes.length + offset) % 3];
                            result.add(SigmaString.literal(encoded.substring(startDrop[offset], end)));
                        }
                    }
                    default -> throw new IllegalStateException("transform outside the modifier switch: " + transform);
                }
            }
            return result;
        }

        private List<SigmaString> windash(SigmaString value) {
            List<SigmaString> result = new ArrayList<>();
            for (String dash : DASHES) {
                List<SigmaString.Part> parts = new ArrayList<>();
                boolean atStart = true;
                for (SigmaString.Part part : value.parts()) {
                    if (part instanceof SigmaString.Literal literal) {
                        String replaced = replaceDashes((atStart ? "" : "x") + literal.text(), dash);
                        parts.add(new SigmaString.Literal(atStart ? replaced : replaced.substring(1)));
                    } else {
                        parts.add(part);
                    }
                    atStart = false;
                }
                result.add(new SigmaString(parts));
            }
            return result;
        }

        private void requirePlain(SigmaString value, String modifier) {
            if (value.hasWildcards()) {
                throw unsupported("'" + modifier + "' of a value with wildcards");
            }
        }

        private SigmaConversionException unsupported(String what) {
            return new SigmaConversionException(SigmaError.Code.UNSUPPORTED_VALUE, what + " is not supported");
        }
    }

    /** Replaces a - or / at the start of the text or after whitespace. */
    private static String replaceDashes(String text, String dash) {
        StringBuilder result = new StringBuilder();
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            boolean wordStart = index == 0 || Character.isWhitespace(text.charAt(index - 1));
            if (wordStart && (character == '-' || character == '/')) {
                result.append(dash);
            } else {
                result.append(character);
            }
        }
        return result.toString();
    }

    private static String stringMatch(FieldRef field, SigmaString pattern, boolean cased) {
        List<SigmaString.Part> parts = pattern.parts();
        if (!pattern.hasWildcards()) {
            return equalsMatch(field, pattern.plain(), cased);
        }
        if (parts.size() == 1 && parts.get(0) instanceof SigmaString.AnyRun) {
            return "isnotempty(" + field.expression() + ")";
        }
        boolean leading = parts.get(0) instanceof SigmaString.AnyRun;
        boolean trailing = parts.get(parts.size() - 1) instanceof SigmaString.AnyRun;
        List<SigmaString.Part> middle = parts.subList(leading ? 1 : 0, parts.size() - (trailing ? 1 : 0));
        if (middle.size() == 1 && middle.get(0) instanceof SigmaString.Literal literal) {
            String suffix = cased ? "_cs " : " ";
            String operator;
            if (leading && trailing) {
                operator = "contains";
            } else if (leading) {
                operator = "endswith";
            } else {
                operator = "startswith";
            }
            return field.text() + " " + operator + suffix + quote(literal.text());
        }
        StringBuilder regex = new StringBuilder(cased ? "(?s)^" : "(?is)^");
        for (SigmaString.Part part : parts) {
            switch (part) {
                case SigmaString.Literal literal -> regex.append(regexLiteral(literal.text()));
                case SigmaString.AnyRun ignored -> regex.append(".*");
                case SigmaString.AnyOne ignored -> regex.append('.');
            }
        }
        regex.append('$');
        return field.text() + " matches regex " + quote(regex.toString());
    }

    private static String equalsMatch(FieldRef field, String text, boolean cased) {
        if (field.term()) {
            return field.text() + (cased ? " has_cs " : " has ") + quote(text);
        }
        return field.text() + (cased ? " == " : " =~ ") + quote(text);
    }

    private static String regexLiteral(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char character : text.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(character) >= 0) {
                escaped.append('\\');
            }
            escaped.append(character);
        }
        return escaped.toString();
    }

    /** A KQL string literal: verbatim (backslashes as they are) unless the text has control characters. */
    static String quote(String text) {
        boolean control = text.chars().anyMatch(character -> character < 0x20);
        if (!control) {
            return "@\"" + text.replace("\"", "\"\"") + "\"";
        }
        StringBuilder literal = new StringBuilder("\"");
        for (char character : text.toCharArray()) {
            switch (character) {
                case '\\' -> literal.append("\\\\");
                case '"' -> literal.append("\\\"");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> {
                    if (character < 0x20) {
                        literal.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) character));
                    } else {
                        literal.append(character);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }

    /** A column name for a Sigma field in a correlation's output. */
    private static String columnName(String field) {
        return IDENTIFIER.matcher(field).matches() ? field : "[" + quote(field) + "]";
    }

    /**
     * Parenthesizes an expression that has an {@code or} outside parentheses and strings, so that it can
     * stand as an operand of {@code and} (which binds tighter).
     */
    static String group(String expression) {
        return hasTopLevelOr(expression) ? "(" + expression + ")" : expression;
    }

    private static boolean hasTopLevelOr(String expression) {
        int depth = 0;
        int index = 0;
        while (index < expression.length()) {
            char character = expression.charAt(index);
            if (character == '@' && index + 1 < expression.length() && isQuote(expression.charAt(index + 1))) {
                index = endOfVerbatim(expression, index + 1);
            } else if (isQuote(character)) {
                index = endOfString(expression, index);
            } else {
                if (character == '(') {
                    depth++;
                } else if (character == ')') {
                    depth--;
                } else if (depth == 0 && expression.startsWith(" or ", index)) {
                    return true;
                }
                index++;
            }
        }
        return false;
    }

    private static boolean isQuote(char character) {
        return character == '"' || character == '\'';
    }

    /** The index after a verbatim string whose quote is at {@code start}; a doubled quote is one quote. */
    private static int endOfVerbatim(String text, int start) {
        char quote = text.charAt(start);
        int index = start + 1;
        while (index < text.length()) {
            if (text.charAt(index) == quote) {
                if (index + 1 < text.length() && text.charAt(index + 1) == quote) {
                    index += 2;
                    continue;
                }
                return index + 1;
            }
            index++;
        }
        return index;
    }

    /** The index after a string with backslash escapes whose quote is at {@code start}. */
    private static int endOfString(String text, int start) {
        char quote = text.charAt(start);
        int index = start + 1;
        while (index < text.length()) {
            char character = text.charAt(index);
            if (character == '\\') {
                index += 2;
            } else if (character == quote) {
                return index + 1;
            } else {
                index++;
            }
        }
        return index;
    }
}
