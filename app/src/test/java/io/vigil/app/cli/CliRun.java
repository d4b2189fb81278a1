package io.vigil.app.cli;

import io.vigil.app.VigilMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** One run of the CLI in this JVM with its exit code and what it printed to stdout and stderr. */
public record CliRun(int exit, String out, String err) {
    public static synchronized CliRun run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = VigilMain.run(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What a successful run printed, line by line; fails the test with its output when the exit code is not 0. */
    public List<String> successLines() {
        if (exit != 0) {
            throw new AssertionError("exit " + exit + "\n" + out + err);
        }
        return outLines();
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    public List<String> errLines() {
        return err.lines().toList();
    }
}
