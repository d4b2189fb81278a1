package io.vigil.kql.catalog;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/functions.md is the registry's page: regenerate it with {@code -Dgolden.update=true}. */
class LanguageDocsTest {
    private static final Path PAGE = Path.of("..", "docs", "functions.md");

    @Test
    void theCommittedPageIsTheRegistrysPage() throws IOException {
        String generated = LanguageDocs.functionsPage(LanguageRegistry.standard());
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(PAGE, generated, UTF_8);
        }
        assertThat(PAGE).exists();
        assertThat(Files.readString(PAGE, UTF_8))
                .as("docs/functions.md differs from the registry; run with -Dgolden.update=true")
                .isEqualTo(generated);
    }
}
