package io.vigil.app;

import io.vigil.detect.sigma.SigmaConversion;
import io.vigil.detect.sigma.SigmaConverter;
import io.vigil.detect.sigma.SigmaDocument;
import io.vigil.detect.sigma.SigmaReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "sigma",
        mixinStandardHelpOptions = true,
        description = "Work with Sigma rules.",
        subcommands = {SigmaCommand.Convert.class})
final class SigmaCommand {
    @Command(
            name = "convert",
            mixinStandardHelpOptions = true,
            description = {
                "Convert Sigma rules (files, or folders walked for .yml/.yaml) to KQL over Vigil's tables; every"
                        + " query is parsed and bound before it is printed.",
                "Prints '// <file>: <title>' and the KQL per converted rule, 'FAIL <file>: <code>: <reason>' per"
                        + " rule that does not convert, then 'converted N rules: P ok, F failed'.",
                "Exit codes: 0 all converted, 1 some failed, 2 usage or I/O error."
            })
    static final class Convert implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*", description = "Sigma rule files or folders")
        List<Path> paths;

        @Override
        public Integer call() {
            List<SigmaDocument> documents = new ArrayList<>();
            try {
                for (Path path : paths) {
                    for (Path file : files(path)) {
                        documents.addAll(
                                SigmaReader.read(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                    }
                }
            } catch (IOException exception) {
                System.err.println("vigil: cannot read Sigma rules: " + exception);
                return 2;
            }
            List<SigmaConversion> conversions = SigmaConverter.builtIn().convert(documents);
            for (SigmaConversion conversion : conversions) {
                switch (conversion) {
                    case SigmaConversion.Converted converted -> {
                        System.out.println("// " + converted.source() + ": " + converted.title());
                        System.out.println(converted.kql());
                        System.out.println();
                    }
                    case SigmaConversion.Failed failed ->
                        System.out.println("FAIL " + failed.source() + ": "
                                + failed.errors().get(0));
                }
            }
            System.out.println(SigmaConversion.summary(conversions));
            boolean anyFailed =
                    conversions.stream().anyMatch(conversion -> conversion instanceof SigmaConversion.Failed);
            return anyFailed ? 1 : 0;
        }

        private static List<Path> files(Path path) throws IOException {
            if (!Files.isDirectory(path)) {
                return List.of(path);
            }
            try (Stream<Path> walk = Files.walk(path)) {
                return walk.filter(Files::isRegularFile)
                        .filter(file -> file.toString().endsWith(".yml")
                                || file.toString().endsWith(".yaml"))
                        .sorted()
                        .toList();
            }
        }
    }
}
