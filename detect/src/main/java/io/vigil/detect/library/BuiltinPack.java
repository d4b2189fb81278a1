package io.vigil.detect.library;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vigil.engine.KqlEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule pack shipped with Vigil: Sentinel analytic rule YAML, the format users import, one rule per step of
 * the demo attack story (docs/demo.md). Listed in {@code pack/index.txt} because a jar cannot be listed.
 */
public final class BuiltinPack {
    private static final String FOLDER = "/io/vigil/detect/pack/";

    private BuiltinPack() {}

    /** One rule file of the pack. */
    public record RuleFile(String name, String text) {}

    /** The rule files of the pack, in index order. */
    public static List<RuleFile> files() {
        List<RuleFile> files = new ArrayList<>();
        for (String line : read("index.txt").split("\n")) {
            String name = line.strip();
            if (!name.isEmpty()) {
                files.add(new RuleFile(name, read(name)));
            }
        }
        return List.copyOf(files);
    }

    /**
     * Imports every rule of the pack into {@code library}; importing again replaces each rule by its id, so
     * this is idempotent.
     */
    public static List<RuleLibrary.Imported> importInto(RuleLibrary library, KqlEngine engine, Instant now)
            throws IOException {
        List<RuleLibrary.Imported> results = new ArrayList<>();
        for (RuleFile file : files()) {
            results.addAll(library.importFile("builtin:" + file.name(), file.text(), engine, now));
        }
        return results;
    }

    private static String read(String name) {
        try (InputStream in = BuiltinPack.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in rule pack resource missing: " + name);
            }
            return new String(in.readAllBytes(), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
