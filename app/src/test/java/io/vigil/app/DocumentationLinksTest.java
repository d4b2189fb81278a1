package io.vigil.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README is a front door that points into docs/, and the documents point at each other: a link to a file that
 * was moved or renamed would leave a reader at a dead end, so every relative link must name an existing file.
 */
class DocumentationLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    @Test
    void relativeLinksNameExistingFiles() throws Exception {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path document : ReadmeScripts.documents()) {
            Matcher matcher = LINK.matcher(Files.readString(document, UTF_8));
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.contains("://")) {
                    continue;
                }
                checked++;
                if (!Files.exists(document.getParent().resolve(target))) {
                    broken.add(document.getFileName() + " → " + target);
                }
            }
        }
        assertThat(checked).as("relative links checked").isPositive();
        assertThat(broken).as("links to files that do not exist").isEmpty();
    }
}
