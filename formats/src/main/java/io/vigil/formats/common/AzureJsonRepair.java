package io.vigil.formats.common;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repairs the invalid JSON some Azure services write into diagnostic-settings exports, where the
 * meaning is unambiguous. Three kinds are known (elastic/integrations#5880, elastic/beats#40641 and
 * #40742): {@code properties} objects written with single-quoted strings (Function App logs), raw
 * newlines and tabs inside strings, and placeholders such as {@code [ 218 B blob data ]} in place of
 * a value (PostgreSQL flexible server). Anything else is left as it is, so strict parsing still fails
 * and the input is dead-lettered.
 */
public final class AzureJsonRepair {
    /** The bounded repair reasons, reported through {@code RecordSink.repaired}. */
    public static final String SINGLE_QUOTED_STRING = "single_quoted_string";

    public static final String RAW_CONTROL_CHARACTER = "raw_control_character";
    public static final String BLOB_PLACEHOLDER = "blob_placeholder";
    public static final String INVALID_ESCAPE = "invalid_escape";

    // "[ 218 B blob data ]": a bracketed run of words without JSON punctuation, as in beats#40742
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\[\\s*(\\d+(?:\\.\\d+)?\\s+[KMG]?B\\s+blob data)\\s*\\]");

    /** The repaired text and the kinds of repair made (empty when nothing was changed). */
    public record Result(String text, List<String> repairs) {
        public Result {
            requireNonNull(text, "text is null");
            repairs = List.copyOf(repairs);
        }

        public boolean changed() {
            return !repairs.isEmpty();
        }
    }

    private AzureJsonRepair() {}

    public static Result repair(String input) {
        Set<String> repairs = new TreeSet<>();
        String text = input;
        Matcher placeholder = PLACEHOLDER.matcher(text);
        if (placeholder.find()) {
            // the payload is gone; keep the placeholder text as a string so nothing is invented
            text = placeholder.replaceAll(match -> Matcher.quoteReplacement("\"" + match.group(1) + "\""));
            repairs.add(BLOB_PLACEHOLDER);
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == '"') {
                i = copyString(text, i, '"', out, repairs);
            } else if (c == '\'' && startsValue(out)) {
                repairs.add(SINGLE_QUOTED_STRING);
                i = copyString(text, i, '\'', out, repairs);
            } else {
                out.append(c);
                i++;
            }
        }
        return new Result(out.toString(), List.copyOf(repairs));
    }

    /** Copies a string literal starting at {@code start} as a double-quoted JSON string; returns the index after it. */
    private static int copyString(String text, int start, char quote, StringBuilder out, Set<String> repairs) {
        out.append('"');
        int i = start + 1;
        int length = text.length();
        while (i < length) {
            char c = text.charAt(i);
            if (c == quote) {
                out.append('"');
                return i + 1;
            }
            if (c == '\\' && i + 1 < length) {
                char next = text.charAt(i + 1);
                if (next == '\'' && quote == '\'') {
                    out.append('\'');
                } else if ("\"\\/bfnrtu".indexOf(next) >= 0) {
                    out.append(c).append(next);
                } else {
                    // a lone backslash (Windows paths): keep it literally
                    repairs.add(INVALID_ESCAPE);
                    out.append("\\\\");
                    i++;
                    continue;
                }
                i += 2;
                continue;
            }
            if (c == '"') {
                // a double quote inside a single-quoted string
                out.append("\\\"");
            } else if (c == '\n') {
                repairs.add(RAW_CONTROL_CHARACTER);
                out.append("\\n");
            } else if (c == '\r') {
                repairs.add(RAW_CONTROL_CHARACTER);
                out.append("\\r");
            } else if (c == '\t') {
                repairs.add(RAW_CONTROL_CHARACTER);
                out.append("\\t");
            } else if (c < 0x20) {
                repairs.add(RAW_CONTROL_CHARACTER);
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
            i++;
        }
        // unterminated: leave it unterminated so strict parsing reports the truncation
        return i;
    }

    /** Whether a quote here opens a key or value: the last non-space output is one of { [ , : */
    private static boolean startsValue(StringBuilder out) {
        for (int i = out.length() - 1; i >= 0; i--) {
            char c = out.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                continue;
            }
            return c == '{' || c == '[' || c == ',' || c == ':';
        }
        return false;
    }
}
