package io.vigil.kql.catalog;

import java.util.List;

/**
 * docs/functions.md, made from the registry: a test fails when the committed page differs, and rewrites it
 * with {@code -Dgolden.update=true}.
 */
public final class LanguageDocs {
    private LanguageDocs() {}

    /** The whole page. */
    public static String functionsPage(LanguageRegistry registry) {
        StringBuilder page = new StringBuilder();
        page.append("# KQL functions and operators\n\n");
        page.append("<!-- generated from kql/src/main/resources/io/vigil/kql/catalog/*.tsv by LanguageDocs; ")
                .append("do not edit: change the registry and run LanguageDocsTest with -Dgolden.update=true -->\n\n");
        page.append("Everything Vigil's KQL knows, from its one registry (the binder, `vigil functions`, the editor's ")
                .append("completion and this page read it). **bound** runs; **unsupported** is a name of the KQL ")
                .append("reference that Vigil does not bind yet: a query using it fails with KQL250/KQL251, not ")
                .append("\"unknown\". Pages are under ")
                .append(LanguageRegistry.REFERENCE)
                .append(".\n\n");
        List<OperatorEntry> operators = registry.operators();
        List<FunctionEntry> functions = registry.functions();
        page.append(count(operators.stream().filter(OperatorEntry::bound).count(), operators.size(), "operators"));
        page.append(count(functions.stream().filter(FunctionEntry::bound).count(), functions.size(), "functions"));
        page.append("\n## Tabular operators\n\n");
        page.append("| Operator | Status | Syntax | Description |\n|---|---|---|---|\n");
        for (OperatorEntry operator : operators) {
            page.append("| ")
                    .append(link(operator.name(), operator.page()))
                    .append(" | ")
                    .append(status(operator.support()))
                    .append(" | `")
                    .append(cell(operator.syntax()))
                    .append("` | ")
                    .append(cell(operator.description()))
                    .append(" |\n");
        }
        for (FunctionKind kind : FunctionKind.values()) {
            page.append("\n## ").append(heading(kind)).append("\n\n");
            page.append("| Function | Status | Signature | Result | Description |\n|---|---|---|---|---|\n");
            for (FunctionEntry function : functions) {
                if (function.kind() != kind) {
                    continue;
                }
                page.append("| ")
                        .append(link(function.name(), function.page()))
                        .append(" | ")
                        .append(status(function.support()))
                        .append(" | ");
                if (function.signature().isPresent()) {
                    page.append('`').append(cell(function.signatureText())).append('`');
                }
                page.append(" | ");
                if (!function.resultType().equals("-")) {
                    page.append(function.resultType());
                }
                page.append(" | ").append(cell(function.description())).append(" |\n");
            }
        }
        return page.toString();
    }

    private static String count(long bound, int all, String what) {
        return "* " + bound + " of " + all + " " + what + " bound\n";
    }

    private static String heading(FunctionKind kind) {
        return switch (kind) {
            case SCALAR -> "Scalar functions";
            case AGGREGATE -> "Aggregate functions (summarize, make-series)";
            case WINDOW -> "Window functions (serialized rows)";
            case PLUGIN -> "Plugins (evaluate)";
        };
    }

    private static String status(Support support) {
        return switch (support) {
            case BOUND -> "bound";
            case UNSUPPORTED -> "unsupported";
        };
    }

    private static String link(String name, String page) {
        if (page.equals("-")) {
            return "`" + name + "`";
        }
        return "[`" + name + "`](" + LanguageRegistry.REFERENCE + page + ")";
    }

    /** A table cell: pipes escaped so they do not end the cell. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
