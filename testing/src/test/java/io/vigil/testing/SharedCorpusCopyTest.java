package io.vigil.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's copy of the corpus is the shared corpus, unchanged, less exactly the files whose licence
 * keeps them out; every copied folder carries its licence note. Tests on a plain clone therefore run on the same
 * data as tests beside the shared folder.
 */
class SharedCorpusCopyTest {
    /** Elastic License 2.0 samples: their note asks that they are read from the shared corpus only. */
    private static final List<String> KEPT_OUT = List.of(
            "samples/entra_audit/elastic-test-auditlogs-raw.log",
            "samples/entra_signin/elastic-test-signinlogs-raw.log",
            "samples/nsg_flow/elastic-test-nsg.log",
            "samples/resource_logs/elastic-test-platformlogs-raw.log");

    @Test
    void copiedFilesAreUnchangedAndOnlyTheElasticSamplesAreKeptOut() throws IOException {
        Path shared = SharedCorpus.sharedCorpusOrSkip("comparing testing/corpus with the shared corpus");
        Path copy = SharedCorpus.corpus();
        List<String> changed = new ArrayList<>();
        for (String file : dataFiles(copy)) {
            Path original = shared.resolve(file);
            if (!Files.exists(original) || Files.mismatch(original, copy.resolve(file)) != -1) {
                changed.add(file);
            }
        }
        assertThat(changed)
                .as("files of testing/corpus that differ from the shared corpus or are not in it")
                .isEmpty();
        List<String> missing = new ArrayList<>(dataFiles(shared));
        missing.removeAll(dataFiles(copy));
        assertThat(missing).as("shared corpus files not copied").containsExactlyInAnyOrderElementsOf(KEPT_OUT);
    }

    @Test
    void everyCopiedFolderHasItsLicenceNote() throws IOException {
        Path copy = SharedCorpus.corpus();
        assertThat(copy.resolve("LICENSES.md")).isRegularFile();
        List<Path> folders = new ArrayList<>();
        for (String kind : List.of("rules", "samples")) {
            try (Stream<Path> children = Files.list(copy.resolve(kind))) {
                children.filter(Files::isDirectory).forEach(folders::add);
            }
        }
        assertThat(folders).hasSizeGreaterThan(10);
        assertThat(folders)
                .as("folders without a LICENSE note")
                .filteredOn(folder -> !Files.isRegularFile(folder.resolve("LICENSE")))
                .isEmpty();
    }

    /** The rules and samples below {@code corpus}, as relative paths with '/', less the licence notes. */
    private static List<String> dataFiles(Path corpus) throws IOException {
        List<String> files = new ArrayList<>();
        for (String kind : List.of("rules", "samples")) {
            try (Stream<Path> walk = Files.walk(corpus.resolve(kind))) {
                walk.filter(Files::isRegularFile)
                        .filter(file -> !file.getFileName().toString().equals("LICENSE"))
                        .map(file -> corpus.relativize(file).toString().replace('\\', '/'))
                        .sorted()
                        .forEach(files::add);
            }
        }
        return files;
    }
}
