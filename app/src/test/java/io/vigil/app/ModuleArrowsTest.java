package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.catalog.TableCatalog;
import io.vigil.metrics.Metrics;
import io.vigil.spi.Json;
import io.vigil.spi.Row;
import io.vigil.spi.TableSchema;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /** Every module, as the root pom lists them; {@link #everyModuleIsListed} keeps the two equal. */
    private static final List<String> MODULES = List.of(
            "spi",
            "metrics",
            "catalog",
            "plan",
            "sql",
            "kql",
            "detect",
            "engine",
            "store",
            "integrity",
            "formats",
            "ingest",
            "forward",
            "generator",
            "testing",
            "app");

    /** Modules each module's main code must never reach. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.ofEntries(
            // the SPI is interfaces and value types (spiHoldsInterfacesAndValueTypesOnly): it reaches nothing
            Map.entry("spi", everyModuleBut("spi")),
            Map.entry("metrics", everyModuleBut("metrics")),
            Map.entry("catalog", everyModuleBut("catalog", "spi")),
            Map.entry("plan", everyModuleBut("plan", "spi")),
            // the languages and the formats see tables through the SPI (QuerySource, TableCatalogView)
            Map.entry(
                    "kql",
                    Set.of("metrics", "catalog", "store", "ingest", "engine", "integrity", "forward", "detect", "app")),
            Map.entry(
                    "sql",
                    Set.of(
                            "metrics",
                            "catalog",
                            "kql",
                            "store",
                            "ingest",
                            "engine",
                            "integrity",
                            "forward",
                            "detect",
                            "app")),
            Map.entry(
                    "formats", Set.of("catalog", "store", "ingest", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("engine", Set.of("catalog", "store", "ingest", "integrity", "forward", "detect", "app")),
            Map.entry("ingest", Set.of("store", "engine", "integrity", "forward", "detect", "app")),
            Map.entry("store", Set.of("ingest", "engine", "integrity", "forward", "detect", "app")),
            // the chain, the sinks and the rules see the store only through the SPI (commit stream, query connections)
            Map.entry("integrity", Set.of("store", "ingest", "formats", "forward", "detect", "app")),
            Map.entry("forward", Set.of("store", "ingest", "integrity", "detect", "app")),
            Map.entry("detect", Set.of("store", "ingest", "formats", "integrity", "forward", "app")));

    private static Set<String> everyModuleBut(String... allowed) {
        Set<String> forbidden = new TreeSet<>(MODULES);
        forbidden.removeAll(List.of(allowed));
        return Set.copyOf(forbidden);
    }

    @Test
    void everyModuleIsListed() throws IOException {
        assertThat(modules()).containsExactlyElementsOf(MODULES);
    }

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

    /**
     * The SPI holds interfaces and value types only (the catalog and the metrics registry live in their own
     * modules): every type in it, nested ones too, is an interface, record, enum or exception, a static helper
     * (a final class without instance fields or a non-private constructor), or one of the named value classes;
     * and no type has a non-final static field, so the SPI holds no state.
     */
    @Test
    void spiHoldsInterfacesAndValueTypesOnly() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (Class<?> type : spiTypes()) {
            spiRuleViolation(type).ifPresent(offenders::add);
        }
        assertThat(offenders)
                .as("implementations in the SPI (move them to a module of their own)")
                .isEmpty();
    }

    @Test
    void theSpiRuleSeesAnImplementation() {
        assertThat(spiRuleViolation(TableCatalog.class)).isPresent();
        assertThat(spiRuleViolation(Metrics.class)).isPresent();
        assertThat(spiRuleViolation(Json.class)).isEmpty();
        assertThat(spiRuleViolation(TableSchema.class)).isEmpty();
    }

    /** Row keeps its values in an array behind a type-checking builder, so it is a class rather than a record. */
    private static final Set<Class<?>> SPI_VALUE_CLASSES = Set.of(Row.class, Row.Builder.class);

    private static Optional<String> spiRuleViolation(Class<?> type) {
        for (Field field : type.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && !Modifier.isFinal(modifiers) && !field.isSynthetic()) {
                return Optional.of(type.getName() + " has the mutable static field " + field.getName());
            }
        }
        if (type.isInterface()
                || type.isRecord()
                || type.isEnum()
                || Throwable.class.isAssignableFrom(type)
                || SPI_VALUE_CLASSES.contains(type)) {
            return Optional.empty();
        }
        if (isStaticHelper(type)) {
            return Optional.empty();
        }
        return Optional.of(type.getName()
                + " is a class with state: neither an interface, record, enum, exception nor a static helper");
    }

    private static boolean isStaticHelper(Class<?> type) {
        if (!Modifier.isFinal(type.getModifiers())) {
            return false;
        }
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                return false;
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (!Modifier.isPrivate(constructor.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Every type of the SPI's main sources, nested types included. */
    private static List<Class<?>> spiTypes() throws IOException, ClassNotFoundException {
        Path sources = PROJECT.resolve("spi/src/main/java");
        List<Class<?>> types = new ArrayList<>();
        for (Path file : mainSources("spi")) {
            String name = sources.relativize(file).toString().replace(File.separatorChar, '.');
            collect(Class.forName(name.substring(0, name.length() - ".java".length())), types);
        }
        assertThat(types).hasSizeGreaterThan(20);
        return types;
    }

    private static void collect(Class<?> type, List<Class<?>> types) {
        types.add(type);
        for (Class<?> nested : type.getDeclaredClasses()) {
            collect(nested, types);
        }
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
