package io.vigil.detect.sigma;

import static java.util.Objects.requireNonNull;

import io.vigil.catalog.TableCatalog;
import io.vigil.detect.query.KqlCheck;
import io.vigil.kql.syntax.Diagnostic;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Sigma files to KQL and checks that every query parses and binds against Vigil's tables. A
 * correlation rule may refer to any detection rule converted in the same call, by id or name.
 */
public final class SigmaConverter {
    private final SigmaToKql compiler;
    private final KqlCheck check;

    public SigmaConverter(LogsourceMappings mappings, TableCatalog tables) {
        requireNonNull(mappings, "mappings is null");
        requireNonNull(tables, "tables is null");
        this.compiler = new SigmaToKql(mappings, tables);
        this.check = new KqlCheck(tables);
    }

    public static SigmaConverter builtIn() {
        return new SigmaConverter(LogsourceMappings.builtIn(), TableCatalog.builtIn());
    }

    public List<SigmaConversion> convert(List<SigmaDocument> documents) {
        Map<String, SigmaRule> rules = new HashMap<>();
        for (SigmaDocument document : documents) {
            if (document instanceof SigmaDocument.Rule rule) {
                rule.rule().id().ifPresent(id -> rules.put(id, rule.rule()));
                rule.rule().name().ifPresent(name -> rules.put(name, rule.rule()));
            }
        }
        List<SigmaConversion> conversions = new ArrayList<>();
        for (SigmaDocument document : documents) {
            conversions.add(convert(document, rules));
        }
        return conversions;
    }

    private SigmaConversion convert(SigmaDocument document, Map<String, SigmaRule> rules) {
        String title = switch (document) {
            case SigmaDocument.Rule rule -> rule.rule().title();
            case SigmaDocument.Correlation correlation ->
                correlation.correlation().title();
            case SigmaDocument.Invalid invalid -> invalid.title().orElse("");
        };
        SigmaToKql.Query query;
        try {
            query = switch (document) {
                case SigmaDocument.Rule rule -> compiler.convert(rule.rule());
                case SigmaDocument.Correlation correlation -> compiler.convert(correlation.correlation(), rules);
                case SigmaDocument.Invalid invalid ->
                    throw new SigmaConversionException(
                            invalid.error().code(), invalid.error().message());
            };
        } catch (SigmaConversionException exception) {
            return new SigmaConversion.Failed(document.source(), title, List.of(exception.error()));
        }
        List<Diagnostic> errors = check.errors(query.kql());
        if (!errors.isEmpty()) {
            return new SigmaConversion.Failed(
                    document.source(),
                    title,
                    errors.stream()
                            .map(error -> new SigmaError(SigmaError.Code.KQL_DIAGNOSTIC, error.toString()))
                            .toList());
        }
        return new SigmaConversion.Converted(document.source(), title, query.table(), query.kql());
    }
}
