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
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?io\\.vigil\\.([a-z]+)\\.", Pattern.MULTILINE);

    /** Modules each module's main code must never reach. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "spi", Set.of("plan", "kql", "sql", "store", "formats", "ingest", "engine", "integrity", "app"),
            "plan", Set.of("kql", "sql", "store", "formats", "ingest", "engine", "integrity", "app"),
            "kql", Set.of("store", "ingest", "engine", "integrity", "app"),
            "sql", Set.of("kql", "store", "ingest", "engine", "integrity", "app"),
            "formats", Set.of("store", "ingest", "engine", "integrity", "app"),
            "engine", Set.of("store", "ingest", "integrity", "app"),
            "ingest", Set.of("store", "engine", "integrity", "app"),
            "store", Set.of("ingest", "engine", "integrity", "app"),
            // the chain sees the store only through the SPI (commit stream, query connections)
            "integrity", Set.of("store", "ingest", "formats", "detect", "app"));

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

    private static Set<String> mainImports(String module) throws IOException {
        Path sources = PROJECT.resolve(module).resolve("src/main/java");
        Set<String> used = new TreeSet<>();
        if (!Files.isDirectory(sources)) {
            return used;
        }
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file :
                    files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = IMPORT.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        return used;
    }
}
