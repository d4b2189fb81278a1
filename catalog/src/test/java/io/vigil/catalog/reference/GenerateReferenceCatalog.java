package io.vigil.catalog.reference;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the catalog resource from a folder of reference pages: {@code GenerateReferenceCatalog TABLES_FOLDER
 * OUTPUT_TSV}. Run through {@code scripts/generate-catalog}.
 */
public final class GenerateReferenceCatalog {
    private GenerateReferenceCatalog() {}

    public static void main(String[] arguments) throws IOException {
        if (arguments.length != 2) {
            System.err.println("usage: GenerateReferenceCatalog TABLES_FOLDER OUTPUT_TSV");
            System.exit(2);
        }
        AzureMonitorTableReference.Reference reference = AzureMonitorTableReference.read(Path.of(arguments[0]));
        Path output = Path.of(arguments[1]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, AzureMonitorTableReference.toTsv(reference), UTF_8);
        int columns = reference.tables().stream()
                .mapToInt(table -> table.columns().size())
                .sum();
        System.out.println("wrote " + reference.tables().size() + " tables, " + columns + " columns to " + output);
        System.out.println("pages without a column table: " + reference.pagesWithoutColumns());
    }
}
