package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows between modules point one way (docs/development.md): read from every module's pom and every
 * main source file's imports, so a wrong-way dependency fails the build where it is added.
 */
class ModuleArrowsTest {
    private static final Path PROJECT = Path.of("..");
    private static final Pattern DEPENDENCY = Pattern.compile(
            "<dependency>\\s*(?:<!--.*?-->\\s*)?<groupId>io\\.vigil</groupId>\\s*<artifactId>vigil-([a-z]+)</artifactId>(.*?)</dependency>",
            Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** The package of an imported io.vigil type: the name up to its first capitalised part. */
    private static final Pattern IMPORTED_PACKAGE =
            Pattern.compile("^import (?:static )?(io\\.vigil(?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z]", Pattern.MULTILINE);

    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?io\\.vigil\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** Modules each module's main code must never reach. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.ofEntries(
            Map.entry(
                    "spi",
                    Set.of(
                            "plan",
                            "kql",
                            "sql",
                            "store",
                            "formats",
                            "ingest",
                            "engine",
                            "integrity",
                            "forward",
                            "detect",
                            "app")),
            Map.entry(
                    "plan",
                    Set.of(
                            "kql",
                            "sql",
                            "store",
                            "formats",
                            "ingest",
                            "engine",
                            "integrity",
                            "forward",
                            "detect",
                            "app")),
            Map.entry("kql", Set.of("store", "ingest", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("sql", Set.of("kql", "store", "ingest", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("formats", Set.of("store", "ingest", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("engine", Set.of("store", "ingest", "integrity", "forward", "detect", "app")),
            Map.entry("ingest", Set.of("store", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("store", Set.of("ingest", "engine", "integrity", "forward", "detect", "app")),
            // the chain, the sinks and the rules see the store only through the SPI (commit stream, query connections)
            Map.entry("integrity", Set.of("store", "ingest", "formats", "forward", "detect", "app")),
            Map.entry("forward", Set.of("store", "ingest", "integrity", "detect", "app")),
            Map.entry("detect", Set.of("store", "ingest", "formats", "integrity", "forward", "app")));

    @Test
    void nothingDependsOnAppAndNoModuleDependsTheWrongWay() throws IOException {
        Map<String, Set<String>> wrong = new TreeMap<>();
        for (String module : modules()) {
            Set<String> forbidden = new TreeSet<>(FORBIDDEN.getOrDefault(module, Set.of()));
            if (!module.equals("app")) {
                forbidden.add("app");
            }
            for (String used : mainDependencies(module)) {
                if (forbidden.contains(used)) {
                    wrong.computeIfAbsent(module, ignored -> new TreeSet<>()).add("pom: vigil-" + used);
                }
            }
            for (String used : mainImports(module)) {
                if (forbidden.contains(used)) {
                    wrong.computeIfAbsent(module, ignored -> new TreeSet<>()).add("import io.vigil." + used);
                }
            }
        }
        assertThat(wrong).as("wrong-way arrows").isEmpty();
    }

    @Test
    void noModuleHasAPackageCycle() throws IOException {
        Map<String, List<List<String>>> cycles = new TreeMap<>();
        for (String module : modules()) {
            List<List<String>> found = PackageCycles.of(packageImports(module));
            if (!found.isEmpty()) {
                cycles.put(module, found);
            }
        }
        assertThat(cycles)
                .as("package cycles (move the shared types to a package both can import)")
                .isEmpty();
    }

    @Test
    void theCycleRuleSeesACycleAndNotADiamond() {
        Map<String, Set<String>> imports = Map.of(
                "a", Set.of("b", "d"),
                "b", Set.of("c"),
                "c", Set.of("a"),
                "d", Set.of("e"),
                "e", Set.of());
        assertThat(PackageCycles.of(imports)).containsExactly(List.of("a", "b", "c"));
        assertThat(PackageCycles.of(Map.of("a", Set.of("b", "c"), "b", Set.of("c"), "c", Set.of())))
                .isEmpty();
    }

    @Test
    void theRuleSeesAWrongArrow() {
        String pom =
                "<dependency>\n  <groupId>io.vigil</groupId>\n  <artifactId>vigil-store</artifactId>\n</dependency>"
                        + "<dependency><groupId>io.vigil</groupId><artifactId>vigil-testing</artifactId>"
                        + "<scope>test</scope></dependency>";
        assertThat(dependenciesInPom(pom)).containsExactly("store");
    }

    private static List<String> modules() throws IOException {
        String root = Files.readString(PROJECT.resolve("pom.xml"));
        List<String> modules = new ArrayList<>();
        Matcher matcher = Pattern.compile("<module>([a-z-]+)</module>").matcher(root);
        while (matcher.find()) {
            modules.add(matcher.group(1));
        }
        assertThat(modules).contains("spi", "store", "ingest", "app");
        return modules;
    }

    private static Set<String> mainDependencies(String module) throws IOException {
        return dependenciesInPom(Files.readString(PROJECT.resolve(module).resolve("pom.xml")));
    }

    /** The io.vigil modules a pom puts on the main class path (test scope and test jars excluded). */
    static Set<String> dependenciesInPom(String pom) {
        Set<String> used = new TreeSet<>();
        Matcher matcher = DEPENDENCY.matcher(pom);
        while (matcher.find()) {
            String rest = matcher.group(2);
            if (!rest.contains("<scope>test</scope>")) {
                used.add(matcher.group(1));
            }
        }
        return used;
    }

    /** Each package of a module's main sources to the other packages of the module it imports. */
    private static Map<String, Set<String>> packageImports(String module) throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        for (Path file : mainSources(module)) {
            String text = Files.readString(file);
            Matcher declared = PACKAGE.matcher(text);
            if (!declared.find()) {
                continue;
            }
            String from = declared.group(1);
            Set<String> targets = imports.computeIfAbsent(from, ignored -> new TreeSet<>());
            Matcher imported = IMPORTED_PACKAGE.matcher(text);
            while (imported.find()) {
                String to = imported.group(1);
                if (!to.equals(from) && (to + ".").startsWith("io.vigil." + module + ".")) {
                    targets.add(to);
                }
            }
        }
        return imports;
    }

    private static List<Path> mainSources(String module) throws IOException {
        Path sources = PROJECT.resolve(module).resolve("src/main/java");
        if (!Files.isDirectory(sources)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(path -> path.toString().endsWith(".java"))
                    .sorted()
                    .toList();
        }
    }

    private static Set<String> mainImports(String module) throws IOException {
        Set<String> used = new TreeSet<>();
        for (Path file : mainSources(module)) {
            Matcher matcher = IMPORT.matcher(Files.readString(file));
            while (matcher.find()) {
                used.add(matcher.group(1));
            }
        }
        return used;
    }
}
