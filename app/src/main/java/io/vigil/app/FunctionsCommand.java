package io.vigil.app;

import io.vigil.kql.catalog.FunctionEntry;
import io.vigil.kql.catalog.LanguageRegistry;
import io.vigil.kql.catalog.OperatorEntry;
import io.vigil.kql.catalog.Support;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil functions}: the KQL language registry as a table, the same one the binder and the docs use. */
@Command(
        name = "functions",
        mixinStandardHelpOptions = true,
        description = "List the KQL functions and operators Vigil knows: name, kind, status, signature, description.")
final class FunctionsCommand implements Callable<Integer> {
    @Option(
            names = "--kind",
            paramLabel = "KIND",
            description = "Only this kind: scalar, aggregate, window, plugin or operator.")
    Optional<String> kind = Optional.empty();

    @Option(names = "--bound", description = "Only what Vigil binds (leave out the names it reports as unsupported).")
    boolean boundOnly;

    @Override
    public Integer call() {
        LanguageRegistry registry = LanguageRegistry.standard();
        Optional<String> wanted = kind.map(text -> text.toLowerCase(Locale.ROOT));
        List<String> kinds = List.of("scalar", "aggregate", "window", "plugin", "operator");
        if (wanted.isPresent() && !kinds.contains(wanted.get())) {
            System.err.println("vigil: --kind is one of " + String.join(", ", kinds) + ", not '" + kind.get() + "'");
            return 2;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "KIND", "STATUS", "SIGNATURE", "DESCRIPTION"));
        for (OperatorEntry operator : registry.operators()) {
            if (shown("operator", operator.support(), wanted)) {
                rows.add(List.of(
                        operator.name(),
                        "operator",
                        status(operator.support()),
                        operator.syntax(),
                        operator.description()));
            }
        }
        for (FunctionEntry function : registry.functions()) {
            String functionKind = function.kind().name().toLowerCase(Locale.ROOT);
            if (shown(functionKind, function.support(), wanted)) {
                String signature = "";
                if (function.signature().isPresent()) {
                    signature = function.signatureText();
                }
                rows.add(List.of(
                        function.name(), functionKind, status(function.support()), signature, function.description()));
            }
        }
        System.out.print(TextTable.render(rows));
        return 0;
    }

    private boolean shown(String entryKind, Support support, Optional<String> wanted) {
        if (boundOnly && support != Support.BOUND) {
            return false;
        }
        return wanted.isEmpty() || wanted.get().equals(entryKind);
    }

    private static String status(Support support) {
        return switch (support) {
            case BOUND -> "bound";
            case UNSUPPORTED -> "unsupported";
        };
    }
}
